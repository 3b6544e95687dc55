/**
 * One student module loaded into a shared in-memory ts-morph project, and the questions the rules
 * ask of it: which symbol does this node denote, is it the engine's, which code does an export reach.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Node,
  Project,
  ts,
  type PropertyAssignment,
  type ShorthandPropertyAssignment,
  type SourceFile,
  type Symbol,
  type Type,
  type TypeChecker,
} from 'ts-morph';
import { isWrapper, unwrap } from './syntax.ts';

export const ENGINE_SPECIFIER = 'propgrade/autograd';
/** The engine's own source sits here in the project (its entry point at index.ts): what students import is what the checks see. */
const ENGINE_DIR = '/engine/';
const LAB_PATH = '/submission/lab.ts';
/** Beside lab.ts while its exports are checked against the lab's declared types. */
const FIT_PATH = '/submission/declared-types.ts';
/**
 * Diagnostics that are not type errors of the student's: implicit `any` (7005, 7006, 7031, ...:
 * unannotated code is allowed) and names or modules the checker cannot find (2304, 2307, 2552,
 * 2580-2593: the import and escape-hatch rules say what is wrong with those).
 */
const NOT_TYPE_ERRORS = (code: number) => (code >= 7000 && code < 8000) || [2304, 2307, 2552, 2580, 2582, 2583, 2584, 2591, 2592, 2593].includes(code);

/** The project, with the engine's source, made once per process and reused for every lint. */
interface Shared {
  project: Project;
  /** The member names the engine keeps to itself: its Tensor's members named `_...` (`_requiresGrad`, `_op`). */
  internals: ReadonlySet<string>;
}

/** Every TypeScript file of src/autograd, by its path inside that folder. */
function engineSources(): { path: string; text: string }[] {
  const root = fileURLToPath(new URL('../autograd/', import.meta.url));
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => ({ path: path.split('\\').join('/'), text: readFileSync(root + path, 'utf8') }));
}

let shared: Shared | undefined;

/** The first lint pays for the standard library's types (about 0.4 s of CPU); later ones take 40-140 ms. */
function sharedProject(): Shared {
  if (shared) return shared;
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      strict: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      paths: { [ENGINE_SPECIFIER]: [`${ENGINE_DIR}index.ts`] },
    },
  });
  for (const { path, text } of engineSources()) project.createSourceFile(ENGINE_DIR + path, text);
  const tensor = project.getSourceFileOrThrow(`${ENGINE_DIR}tensor.ts`).getClassOrThrow('Tensor');
  const internals = tensor.getInstanceProperties().map((p) => p.getName()).filter((name) => name.startsWith('_'));
  shared = { project, internals: new Set(internals) };
  return shared;
}

/** A parse error of the module, 1-based. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** The widest union of literal keys read as the members it lists. */
export const MAX_KEY_UNION = 256;

export class Lab {
  readonly engineInternals: ReadonlySet<string>;
  private readonly checker: TypeChecker;
  /** constantKeys by key type: a file may read the same wide key type thousands of times. */
  private readonly keys = new Map<ts.Type, string[] | undefined>();

  private constructor(
    readonly file: SourceFile,
    { internals }: Shared,
  ) {
    this.engineInternals = internals;
    this.checker = file.getProject().getTypeChecker();
  }

  /** Drops the shared project: the next parse starts a fresh one. */
  static reset(): void {
    shared = undefined;
  }

  /** Replaces the previous module: the rules must run to completion before the next parse. */
  static parse(text: string): Lab {
    const context = sharedProject();
    return new Lab(context.project.createSourceFile(LAB_PATH, text, { overwrite: true }), context);
  }

  syntaxProblems(): SyntaxProblem[] {
    const program = this.file.getProject().getProgram().compilerObject;
    return program.getSyntacticDiagnostics(this.file.compilerNode).map((d) => ({
      ...this.position(d.start ?? 0),
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  }

  /**
   * What the type checker finds wrong in the module, and each export (of `declared`, those the
   * module has) that does not fit the type the lab declares for it: a wrong return type, parameters
   * in the wrong order. Implicit `any` (a module written without annotations) is not a problem.
   */
  typeProblems(declared: ReadonlyArray<{ name: string; type: string }>): SyntaxProblem[] {
    const program = () => this.file.getProject().getProgram().compilerObject;
    const own = program().getSemanticDiagnostics(this.file.compilerNode).filter((d) => !NOT_TYPE_ERRORS(d.code));
    const problems = own.map((d) => ({ ...this.position(d.start ?? 0), message: ts.flattenDiagnosticMessageText(d.messageText, ' ') }));
    const present = declared.filter((d) => this.exportRoots(d.name).length > 0);
    if (present.length === 0) return problems;
    const lines = present.map((d, i) => `const declared${i}: ${d.type} = lab.${d.name};`);
    const fit = this.file.getProject().createSourceFile(FIT_PATH, [`import type { Tensor } from '${ENGINE_SPECIFIER}';`, `import * as lab from './lab.ts';`, ...lines].join('\n'), { overwrite: true });
    try {
      for (const d of program().getSemanticDiagnostics(fit.compilerNode)) {
        const line = ts.getLineAndCharacterOfPosition(fit.compilerNode, d.start ?? 0).line - 2;
        const which = present[line];
        if (!which) continue;
        const at = this.exportRoots(which.name)[0]!;
        problems.push({
          ...this.position(at.getStart()),
          message: `'${which.name}' does not fit the type the lab declares for it, ${which.type}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        });
      }
    } finally {
      this.file.getProject().removeSourceFile(fit);
    }
    return problems;
  }

  /** 1-based; from the compiler's table of line starts (ts-morph's own scans the text from the start at every call). */
  position(pos: number): { line: number; column: number } {
    const { line, character } = ts.getLineAndCharacterOfPosition(this.file.compilerNode, pos);
    return { line: line + 1, column: character + 1 };
  }

  /**
   * What `node` denotes: the value or property it names, through import aliases, destructuring
   * (`const { backward } = t`), constant element keys (`t['backward']`, `t[k]` with `k` a constant),
   * casts and `any` (`(t as any).grad`) and object literals typed by the engine (`{ requiresGrad: true }`).
   */
  symbols(node: Node): Symbol[] {
    const found: (Symbol | undefined)[] = [];
    const parent = node.getParent();
    if (Node.isElementAccessExpression(node)) {
      const objectType = this.originType(node.getExpression());
      for (const name of this.constantKeys(node.getArgumentExpressionOrThrow()) ?? []) found.push(objectType.getProperty(name));
    } else if (Node.isIdentifier(node) || Node.isPrivateIdentifier(node)) {
      found.push(node.getSymbol());
      if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === node) {
        const object = parent.getExpression();
        if (found[0] === undefined || isWrapper(object)) found.push(this.originType(object).getProperty(node.getText()));
      } else if (Node.isBindingElement(parent) && (parent.getPropertyNameNode() ?? parent.getNameNode()) === node) {
        found.push(parent.getParentOrThrow().getType().getProperty(node.getText()));
      } else if (Node.isShorthandPropertyAssignment(parent)) {
        found.push(parent.getValueSymbol());
      }
      if ((Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent)) && parent.getNameNode() === node) {
        found.push(this.contextualProperty(parent));
      }
    }
    return found.filter((s) => s !== undefined).map((s) => (s.isAlias() ? s.getAliasedSymbol() ?? s : s));
  }

  /** The first engine symbol `node` denotes, if any. */
  engineSymbol(node: Node): Symbol | undefined {
    return this.symbols(node).find((s) => this.isEngineSymbol(s));
  }

  /** Declared by the engine: in a file of its source. */
  isEngineSymbol(symbol: Symbol): boolean {
    return symbol.getDeclarations().some((d) => d.getSourceFile().getFilePath().startsWith(ENGINE_DIR));
  }

  declaredIn(symbol: Symbol, file: SourceFile): boolean {
    return symbol.getDeclarations().some((d) => d.getSourceFile() === file);
  }

  /** True when values of `type` come from the engine: a Tensor (or `Tensor | null`), an engine function or method. */
  isEngineType(type: Type): boolean {
    const symbol = type.getNonNullableType().getSymbol();
    return symbol !== undefined && this.isEngineSymbol(symbol);
  }

  /**
   * The member names an element access key can hold when its type says (`'backward'`,
   * `const k = 'grad'`, `k: 'h1' | 'o1'`); undefined when the key is computed at runtime.
   */
  constantKeys(key: Node): string[] | undefined {
    if (this.wideKey(key)) return undefined;
    const type = key.getType();
    if (this.keys.has(type.compilerType)) return this.keys.get(type.compilerType);
    // A union wider than any member list a lab has is a key computed at runtime, as far as the rules go
    // (a 90,000-literal union read at every access made the checks run for minutes).
    const options = type.isUnion() ? !this.isWide(type.compilerType) && type.getUnionTypes() : [type];
    const names = options ? options.map((t) => (t.isStringLiteral() || t.isNumberLiteral() ? String(t.getLiteralValue()) : undefined)) : [undefined];
    const keys = names.every((n) => n !== undefined) ? names : undefined;
    this.keys.set(type.compilerType, keys);
    return keys;
  }

  /**
   * A key declared with a union of more than MAX_KEY_UNION members, told from its declared type:
   * narrowing such a union at every read (as `getType()` does) is what cost the checker minutes.
   */
  wideKey(key: Node): boolean {
    const declared = Node.isIdentifier(key) ? key.getSymbol()?.compilerSymbol : undefined;
    return declared !== undefined && this.isWide(this.checker.compilerObject.getTypeOfSymbol(declared));
  }

  private isWide(type: ts.Type): boolean {
    return type.isUnion() && type.types.length > MAX_KEY_UNION;
  }

  /** The type of the value `expression` holds, seen through casts and `any`-typed variables. */
  originType(expression: Node, depth = 0): Type {
    const inner = unwrap(expression);
    const type = inner.getType();
    if (!type.isAny() || !Node.isIdentifier(inner) || depth > 8) return type;
    const value = inner.getSymbol()?.getDeclarations().find(Node.isVariableDeclaration)?.getInitializer();
    return value ? this.originType(value, depth + 1) : type;
  }

  /** `{ requiresGrad: true }` passed to `tensor(...)` names the engine's option. */
  private contextualProperty(assignment: PropertyAssignment | ShorthandPropertyAssignment): Symbol | undefined {
    const literal = assignment.getParentIfKind(ts.SyntaxKind.ObjectLiteralExpression);
    return literal && this.checker.getContextualType(literal)?.getNonNullableType().getProperty(assignment.getName());
  }

  /** The declarations in lab.ts that make up export `name` (a function, a const, an export specifier). */
  exportRoots(name: string): Node[] {
    const symbol = this.file.getSymbol()?.getExport(name);
    return symbol?.getDeclarations().filter((d) => d.getSourceFile() === this.file) ?? [];
  }

  /**
   * Every node of `roots` and of the module's own declarations they reach, transitively: helper
   * functions, module constants, classes and methods named anywhere inside (a reference graph,
   * which covers the call graph and callbacks alike). Each node appears once.
   */
  reach(roots: Node[]): Node[] {
    const nodes: Node[] = [];
    const seen = new Set<Node>();
    const queue = [...roots];
    const visit = (node: Node): void => {
      if (seen.has(node)) return;
      seen.add(node);
      nodes.push(node);
      for (const symbol of this.symbols(node)) {
        for (const declaration of symbol.getDeclarations()) {
          if (declaration.getSourceFile() === this.file) queue.push(declaration);
        }
      }
      node.forEachChild(visit);
    };
    for (let unit = queue.pop(); unit !== undefined; unit = queue.pop()) visit(unit);
    return nodes;
  }

  /** Every node of the module, once. */
  allNodes(): Node[] {
    return this.file.getDescendants();
  }
}
