/**
 * Static inspection of a student module before it runs: the rules of ./rules.ts, switched on per
 * task by the specs, checked with ts-morph and the type checker on an in-memory copy of lab.ts.
 */
import { readSubmitted } from '../submission.ts';
import { Node } from 'ts-morph';
import type { Finding } from '../model/report.ts';
import type { RuleUse } from '../spec/types.ts';
import { CHECKS, type Hit, type Region } from './checks/index.ts';
import { Lab } from './lab.ts';
import { MODULE_RULES, RULES, isRuleId, type Policy, type RuleId } from './rules.ts';

export { MODULE_RULES, RULES, isRuleId, ruleInfo, type Policy, type RuleId, type RuleInfo, type Scope } from './rules.ts';

/** Findings kept per rule; past that one more finding counts the rest. */
export const MAX_FINDINGS_PER_RULE = 20;

/** What lint needs of a task: its id, the exports it grades and the rules its spec switches on. */
export interface TaskRules {
  id: string;
  /** The exports the task grades (a TaskSpec's signatures fit). */
  /** `declared`: the TypeScript type the lab declares for the export (declaredType in src/spec/signature.ts), checked by `type-error`. */
  exports: readonly { name: string; declared?: string }[];
  rules: RuleUse[];
}

/** Reads `file` as a submission is read (no link, a regular file of bounded size) and lints it; see lintSource. */
export async function lintModule(file: string, tasks: TaskRules[]): Promise<Finding[]> {
  const read = await readSubmitted(file);
  if ('refused' in read) throw new Error(`lint ${file}: ${read.refused}`);
  return lintSource(file, read.source.toString('utf8'), tasks);
}

/** Where a finding is and what it says, before the rule's fix sentence is added. */
interface Located {
  line: number;
  column: number;
  message: string;
}

/**
 * The findings of every rule on `text` (the module at `file`), sorted by position. Module-wide
 * rules apply to every task; a task's own rules apply to its exports and all they reach. A
 * syntax error is the only finding when there is one. Throws only for a task naming an unknown
 * rule, or for a fault of the checks themselves.
 */
export function lintSource(file: string, text: string, tasks: TaskRules[]): Finding[] {
  const found = new Map<string, Finding>();
  const policy = policies(tasks);
  const perRule = new Map<RuleId, number>();
  const record = (rule: RuleId, rulePolicy: Policy, taskIds: string[], at: Located, fix: string = RULES[rule].fix): void => {
    const message = `${at.message.replace(/\.$/, '')}. ${fix}`;
    const key = JSON.stringify([rule, rulePolicy, at.line, at.column, message]);
    if (!found.has(key)) {
      // A file may repeat one finding thousands of times: the first few say it all, and reports stay small.
      const count = (perRule.get(rule) ?? 0) + 1;
      perRule.set(rule, count);
      if (count > MAX_FINDINGS_PER_RULE) return;
    }
    const finding = found.get(key) ?? { rule, policy: rulePolicy, tasks: [], file, line: at.line, column: at.column, message };
    finding.tasks.push(...taskIds.filter((id) => !finding.tasks.includes(id)));
    found.set(key, finding);
  };
  /** The findings sorted, one more per capped rule that counts the rest. */
  const finish = (): Finding[] => {
    for (const [rule, count] of perRule) {
      if (count <= MAX_FINDINGS_PER_RULE) continue;
      const kept = [...found.values()].filter((f) => f.rule === rule);
      const last = kept[kept.length - 1]!;
      const message = `and ${count - MAX_FINDINGS_PER_RULE} more findings of this rule, not listed`;
      found.set(`more ${rule}`, { ...last, tasks: [...new Set(kept.flatMap((f) => f.tasks))], message });
    }
    return sorted(found);
  };
  /** A module-wide finding breaks every task, each under its own policy for the rule. */
  const everyTask = (rule: RuleId, at: Located): void => {
    if (tasks.length === 0) record(rule, RULES[rule].policy, [], at);
    for (const task of tasks) record(rule, policy(task, rule), [task.id], at);
  };

  try {
    const lab = Lab.parse(text);
    const located = (hit: Hit): Located => ({ ...lab.position(hit.node.getStart()), message: hit.message });
    const problems = lab.syntaxProblems();
    for (const problem of problems) everyTask('syntax', problem);
    if (problems.length > 0) return finish();

    const wholeModule: Region = { nodes: lab.allNodes(), anchor: lab.file };
    const reached = new Map<string, Node[]>(); // per export: several tasks may grade the same one
    for (const rule of MODULE_RULES) for (const hit of CHECKS[rule](lab, wholeModule)) everyTask(rule, located(hit));
    for (const task of tasks) {
      const rules = exportRules(task);
      if (rules.length === 0) continue;
      for (const { name: exportName } of task.exports) {
        const roots = lab.exportRoots(exportName);
        if (roots.length === 0) continue; // a missing export is the pipeline's to report
        const nodes = reached.get(exportName) ?? reached.set(exportName, lab.reach(roots)).get(exportName)!;
        for (const use of rules) {
          const region: Region = { nodes, anchor: nameNode(roots[0]!), exportName, data: use.data };
          for (const hit of CHECKS[use.rule](lab, region)) record(use.rule, policy(task, use.rule), [task.id], located(hit), use.fix);
        }
      }
    }
    // Last: a line another rule already explains (an escape hatch, say) needs no type error beside it.
    const declared = new Map(tasks.flatMap((t) => t.exports).flatMap((e) => (e.declared === undefined ? [] : [[e.name, { name: e.name, type: e.declared }] as const])));
    const explained = new Set([...found.values()].map((f) => f.line));
    for (const problem of lab.typeProblems([...declared.values()])) if (!explained.has(problem.line)) everyTask('type-error', problem);
  } catch (error) {
    Lab.reset(); // the shared project may be left half-updated
    if (!(error instanceof RangeError)) throw error;
    // Only nesting thousands deep exhausts the stack of TypeScript's parser or checker.
    everyTask('syntax', { line: 1, column: 1, message: `The module is nested too deeply to read (${error.message})` });
  }
  return finish();
}

/** Each task's policy for each rule: its spec's override, else the rule's default. */
function policies(tasks: TaskRules[]): (task: TaskRules, rule: RuleId) => Policy {
  for (const task of tasks) {
    for (const use of task.rules) {
      if (!isRuleId(use.rule) || use.rule === 'syntax') {
        const known = Object.keys(RULES).filter((id) => id !== 'syntax');
        throw new Error(`task ${task.id}: unknown static rule '${use.rule}' (known: ${known.join(', ')})`);
      }
    }
  }
  return (task, rule) => task.rules.find((use) => use.rule === rule)?.policy ?? RULES[rule].policy;
}

type ExportRuleId = Exclude<RuleId, 'syntax' | 'type-error' | (typeof MODULE_RULES)[number]>;

const exportRules = (task: TaskRules): Array<RuleUse & { rule: ExportRuleId }> =>
  task.rules.filter((use): use is RuleUse & { rule: ExportRuleId } => isRuleId(use.rule) && RULES[use.rule].scope === 'export');

function nameNode(root: Node): Node {
  if (Node.isExportSpecifier(root)) return root.getAliasNode() ?? root.getNameNode();
  return Node.hasName(root) ? root.getNameNode() : root;
}

const sorted = (found: Map<string, Finding>): Finding[] =>
  [...found.values()].sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.policy.localeCompare(b.policy));
