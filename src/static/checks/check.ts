/** The shape of a rule's check: it looks at a region of the module and reports what it finds. */
import type { Node } from 'ts-morph';
import type { Lab } from '../lab.ts';

export interface Hit {
  node: Node;
  /** What is wrong here, in the student's terms (the rule's fix sentence follows it). */
  message: string;
}

/** The whole module, or one export with every node it reaches; `anchor` locates the region itself. */
export interface Region {
  nodes: readonly Node[];
  anchor: Node;
  exportName?: string;
  /** What the task's use of the rule tells it of the lab (`RuleUse.data`), e.g. the example's outputs. */
  data?: unknown;
}

export type Check = (lab: Lab, region: Region) => Hit[];
