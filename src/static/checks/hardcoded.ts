/**
 * `no-hardcoded-example`: no literal reproduces an output of the notebook's example. The inputs
 * (U, V, W, x1, x2, h0) may be copied freely, so an output value that is also an input value is
 * never flagged on its own; an array literal that equals a whole output is.
 */
import { Node, ts } from 'ts-morph';
import { EXAMPLE_INPUTS, EXAMPLE_OUTPUTS } from '../notebook.ts';
import type { Check, Hit } from './check.ts';
import { quote, stringValue } from '../syntax.ts';

type Nested = number | Nested[];

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
/** Tolerant enough for a value copied from a float32 printout (0.28999999165534973 for 0.29). */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const sameValues = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => close(x, b[i]!));

const inputValues = Object.values(EXAMPLE_INPUTS).flatMap(flat);
const inputArrays = Object.values(EXAMPLE_INPUTS).flatMap((v) => [v, ...v.filter(Array.isArray)]).map(flat);

function labelled(name: string, value: Nested, path = ''): { label: string; value: number }[] {
  return Array.isArray(value) ? value.flatMap((v, i) => labelled(name, v, `${path}[${i}]`)) : [{ label: name + path, value }];
}

const OUTPUT_VALUES = Object.entries(EXAMPLE_OUTPUTS)
  .flatMap(([name, value]) => labelled(name, value))
  .filter(({ value }) => !inputValues.some((v) => close(v, value)));

const OUTPUT_ARRAYS = Object.entries(EXAMPLE_OUTPUTS)
  .map(([label, value]) => ({ label, values: flat(value) }))
  .filter(({ values }) => !inputArrays.some((a) => sameValues(a, values)));

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

/** An array literal of numbers (nested at any depth), flattened. */
function literalArray(node: Node): number[] | undefined {
  if (!Node.isArrayLiteralExpression(node)) return undefined;
  const values: number[] = [];
  for (const element of node.getElements()) {
    const inner = literalArray(element) ?? literalNumber(element);
    if (inner === undefined) return undefined;
    values.push(...flat(inner));
  }
  return values;
}

/** The outermost node of a signed literal: `-0.067` is one number, not 0.067 under a minus. */
const isSignOperand = (node: Node): boolean => literalNumber(node.getParentOrThrow()) !== undefined;

export const noHardcodedExample: Check = (_lab, { nodes }) => {
  const arrays: Hit[] = [];
  const values: Hit[] = [];
  for (const node of nodes) {
    if (ts.isPartOfTypeNode(node.compilerNode)) continue;
    const array = literalArray(node);
    const output = array && OUTPUT_ARRAYS.find(({ values }) => sameValues(array, values));
    if (output) arrays.push({ node, message: `${quote(node)} is ${output.label} of the notebook's example` });
    const value = literalNumber(node);
    const known = value !== undefined && !isSignOperand(node) && OUTPUT_VALUES.find((o) => close(value, o.value));
    if (known) values.push({ node, message: `${quote(node)} is ${known.label} of the notebook's example` });
  }
  // One finding per written answer: nothing inside an array that is flagged whole.
  const inside = (hit: Hit) =>
    arrays.some(({ node }) => node !== hit.node && hit.node.getStart() >= node.getStart() && hit.node.getEnd() <= node.getEnd());
  return [...arrays, ...values].filter((hit) => !inside(hit));
};
