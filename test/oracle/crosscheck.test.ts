// The generic cross-check: a lab module's recorded engine computation replayed in TensorFlow.js, on
// answers worked out by hand, on both backends (the RNN lab's reference and its oracle module).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossCheckTrace, oracleBackend, valueAt } from '../../src/oracle/crosscheck.ts';
import { replayPlans } from '../../src/oracle/trace.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import type { LabClient, Plain, PlainTensor } from '../../src/sandbox/protocol.ts';
import type { Trace } from '../../src/sandbox/trace.ts';
import { REFERENCE_LAB, RNN } from '../helpers/rnn.ts';

const t = (shape: number[], ...values: number[]): PlainTensor => ({ shape, data: Float64Array.from(values) });
const U = t([2, 2], -0.3, 0.6, 0.2, 0.1);
const V = t([2, 2], 0.4, 0.4, 0.9, -0.7);
const W = t([2, 2], 0.5, -0.1, 0.2, 0.3);
const x1 = t([2], 0, 1), x2 = t([2], 1, 0), h0 = t([2], 0, 0);
const T = t([2, 2], 0.75, 0.25, 0.4, 0.6);
const a = [1, 0], b = [0, 1];

let reference: LabClient;
let alternatives: LabClient;
beforeAll(async () => {
  reference = await openInProcess(REFERENCE_LAB, { driver: RNN.paths.driver });
  alternatives = await openInProcess(RNN.paths.oracle!, { driver: RNN.paths.driver });
});
afterAll(async () => {
  await reference.close();
  await alternatives.close();
});

/** The reference's traced answer, checked as `value` (its own answer when omitted). */
async function check(exportName: string, args: Plain[], value?: Plain, from: LabClient = reference) {
  const answer = await from.traced(exportName, args);
  return crossCheckTrace(value ?? answer.value, answer.trace as unknown as Trace, exportName);
}

describe.each(['wasm', 'cpu'] as const)('the recorded reference replayed on %s', (backend) => {
  beforeAll(() => oracleBackend(backend));

  it('forward on the notebook: o1 = W relu(U x1) = [0.29, 0.15], then o2 = [-0.067, 0.201]', async () => {
    // h1 = relu([0.6, 0.1]) = [0.6, 0.1]; o1 = [0.5*0.6 - 0.1*0.1, 0.2*0.6 + 0.3*0.1] = [0.29, 0.15]
    // h2 = relu(U x2 + V h1) = relu([-0.3 + 0.28, 0.2 + 0.47]) = [0, 0.67]; o2 = [-0.067, 0.201]
    const args = [t([2, 2], 0, 1, 1, 0), 2, U, V, W];
    const right = await check('forward', args, t([2, 2], 0.29, 0.15, -0.067, 0.201));
    expect(right).toMatchObject({ disagreement: null, compared: 1, unchecked: [], backend });
    expect((await check('forward', args, t([2, 2], 0.29, 0.15, -0.067, 0.2011))).disagreement).toMatch(/^forward\[3\]: engine 0\.2011/);
  });

  it('forwardByHand: each output of the record is replayed, and a wrong one is named by its field', async () => {
    const steps = { h1: t([2], 0.6, 0.1), o1: t([2], 0.29, 0.15), h2: t([2], 0, 0.67), o2: t([2], -0.067, 0.201) };
    expect(await check('forwardByHand', [U, V, W, x1, x2, h0], steps)).toMatchObject({ disagreement: null, compared: 4 });
    expect((await check('forwardByHand', [U, V, W, x1, x2, h0], { ...steps, o2: t([2], 0.067, 0.201) })).disagreement).toMatch(/^forwardByHand\.o2\[0\]/);
  });

  it('gradH11WrtU: the gradient of the backward() the reference ran, [[0, 1], [0, 0]]; a wrong one disagrees', async () => {
    expect(await check('gradH11WrtU', [U, V, x1, h0], t([2, 2], 0, 1, 0, 0))).toMatchObject({ disagreement: null, compared: 1 });
    expect((await check('gradH11WrtU', [U, V, x1, h0], t([2, 2], 1, 0, 0, 0))).disagreement).toMatch(/engine 1, oracle 0/);
  });

  it('gradH11WrtU at the kink: the clamp passes the gradient at 0 (PyTorch), exactly', async () => {
    // U x1 = [0, 0.5]: h1[0] sits on the clamp's bound, whose gradient is 1 there.
    expect(await check('gradH11WrtU', [t([2, 2], 1, 0, 0, 0.5), t([2, 2], 0, 0, 0, 0), t([2], 0, 1), h0], t([2, 2], 0, 1, 0, 0))).toMatchObject({ disagreement: null });
  });

  it("sequenceProbability: 'aab' is T[a,a] T[a,b] = 0.1875, 'ba' is 0.4", async () => {
    expect((await check('sequenceProbability', [t([3, 2], ...a, ...a, ...b), T], 0.1875)).disagreement).toBeNull();
    expect((await check('sequenceProbability', [t([2, 2], ...b, ...a), T], 0.4)).disagreement).toBeNull();
    expect((await check('sequenceProbability', [t([2, 2], ...b, ...a), T], 0.6)).disagreement).toMatch(/engine 0\.6/);
  });

  it("bpttGradU through the lab's oracle module: U=1, V=0, W=1, x=[1, 2]: dL/dU = 2 (o1 - x2) x1 = -2", async () => {
    const args = [t([1], 1), t([1], 0), t([1], 1), t([2], 1, 2), t([1], 0)];
    expect(await check('bpttGradU', args, -2, alternatives)).toMatchObject({ disagreement: null, compared: 1 });
    expect((await check('bpttGradU', args, -1.5, alternatives)).disagreement).toMatch(/engine -1\.5, oracle -2/);
  });
});

describe('replay plans', () => {
  it('a result the call did not compute, or a primitive the oracle has no row for, is unchecked with the reason', () => {
    const leaf: Trace = { nodes: [{ leaf: t([1], 3), arg: 0 }], backwards: [], results: [{ path: '', node: 0 }] };
    expect(replayPlans(leaf)).toEqual([{ path: '', kind: 'skip', reason: expect.stringMatching(/did not compute/) }]);
    const unknown: Trace = {
      nodes: [{ leaf: t([1], 3) }, { op: 'Cumsum', inputs: [0], param: null, shape: [1], recorded: true }],
      backwards: [],
      results: [{ path: '', node: 1 }],
    };
    expect(replayPlans(unknown)).toEqual([{ path: '', kind: 'skip', reason: 'the oracle knows no engine primitive Cumsum' }]);
  });

  it('valueAt reads a result by the path the trace gives it', () => {
    const value = { h1: t([1], 1), rows: [t([1], 2), { o: 3 }] };
    expect(valueAt(value, '.h1')).toBe(value.h1);
    expect(valueAt(value, '.rows[1].o')).toBe(3);
    expect(valueAt(value, '.nope')).toBeUndefined();
  });
});
