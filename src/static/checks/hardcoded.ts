/**
 * `no-hardcoded-example`: no literal reproduces an output of the lab's example. The task's use of the
 * rule names the example (`data: { inputs, outputs }`, nested number arrays by name): the inputs may
 * be copied freely, so an output value that is also an input value is never flagged on its own; an
 * array literal that equals a whole output is.
 */
import { Node, ts } from 'ts-morph';
import type { Check, Hit } from './check.ts';
import { quote, stringValue } from '../syntax.ts';

type Nested = number | Nested[];

/** What the rule is told of the example. */
export interface ExampleData {
  inputs: Record<string, Nested>;
  outputs: Record<string, Nested>;
}

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
/** Tolerant enough for a value copied from a float32 printout (0.28999999165534973 for 0.29). */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const sameValues = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => close(x, b[i]!));

function labelled(name: string, value: Nested, path = ''): { label: string; value: number }[] {
  return Array.isArray(value) ? value.flatMap((v, i) => labelled(name, v, `${path}[${i}]`)) : [{ label: name + path, value }];
}

/** The outputs to look for, from the rule's data; a lab that gives none is a fault of the lab. */
function answers(data: unknown): { values: { label: string; value: number }[]; arrays: { label: string; values: number[] }[] } {
  const { inputs, outputs } = (data ?? {}) as Partial<ExampleData>;
  if (typeof outputs !== 'object' || outputs === null) throw new Error("no-hardcoded-example: the task's rule use gives no example outputs (data: { inputs, outputs })");
  const given = Object.values(inputs ?? {});
  const inputValues = given.flatMap(flat);
  const inputArrays = given.flatMap((v) => (Array.isArray(v) ? [v, ...v.filter(Array.isArray)] : [])).map(flat);
  return {
    values: Object.entries(outputs)
      .flatMap(([name, value]) => labelled(name, value))
      .filter(({ value }) => !inputValues.some((v) => close(v, value))),
    arrays: Object.entries(outputs)
      .filter(([, value]) => Array.isArray(value))
      .map(([label, value]) => ({ label, values: flat(value) }))
      .filter(({ values }) => !inputArrays.some((a) => sameValues(a, values))),
  };
}

/** A number written in the source: `0.29`, `-0.067`, `'0.29'`. */
function literalNumber(node: Node): number | undefined {
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  const text = stringValue(node)?.trim();
  if (text !== undefined) return text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
  if (Node.isPrefixUnaryExpression(node) && [ts.SyntaxKind.MinusToken, ts.SyntaxKind.PlusToken].includes(node.getOperatorToken())) {
    const value = literalNumber(node.getOperand());
    return value === undefined ? undefined : node.getOperatorToken() === ts.SyntaxKind.MinusToken ? -value : value;
  }
  return undefined;
}

/** An array literal of numbers (nested at any depth), flattened; each array is read once (`known` keeps them). */
function literalArray(node: Node, known: Map<Node, number[] | undefined>): number[] | undefined {
  if (!Node.isArrayLiteralExpression(node)) return undefined;
  if (known.has(node)) return known.get(node);
  let values: number[] | undefined = [];
  for (const element of node.getElements()) {
    const inner = literalArray(element, known) ?? literalNumber(element);
    if (inner === undefined) {
      values = undefined;
      break;
    }
    if (typeof inner === 'number') values.push(inner);
    else for (const v of inner) values.push(v); // not push(...inner): a long array overflows the stack
  }
  known.set(node, values);
  return values;
}

/** The outermost node of a signed literal: `-0.067` is one number, not 0.067 under a minus. */
const isSignOperand = (node: Node): boolean => literalNumber(node.getParentOrThrow()) !== undefined;

export const noHardcodedExample: Check = (_lab, { nodes, data }) => {
  const { values: OUTPUT_VALUES, arrays: OUTPUT_ARRAYS } = answers(data);
  const lengths = new Set(OUTPUT_ARRAYS.map((a) => a.values.length));
  const known = new Map<Node, number[] | undefined>();
  const arrays: Hit[] = [];
  const values: Hit[] = [];
  for (const node of nodes) {
    if (ts.isPartOfTypeNode(node.compilerNode)) continue;
    const array = literalArray(node, known);
    const output = array && lengths.has(array.length) && OUTPUT_ARRAYS.find(({ values }) => sameValues(array, values));
    if (output) arrays.push({ node, message: `${quote(node)} is ${output.label} of the lab's example` });
    const value = literalNumber(node);
    const found = value !== undefined && !isSignOperand(node) && OUTPUT_VALUES.find((o) => close(value, o.value));
    if (found) values.push({ node, message: `${quote(node)} is ${found.label} of the lab's example` });
  }
  // One finding per written answer: nothing inside an array that is flagged whole (its ancestors tell).
  const flagged = new Set(arrays.map((hit) => hit.node));
  const inside = (hit: Hit) => hit.node.getAncestors().some((a) => flagged.has(a));
  return [...arrays, ...values].filter((hit) => !inside(hit));
};
