/**
 * What both bigram-RNN tasks demand: run from h0 = 0 over one-hot words, the output at EVERY step is
 * the row of T for the word just read (a wrong V only shows from step 2 on, a U = T instead of T^T
 * only on a table that is not symmetric). Also how every bigram task shows a failing case.
 */
import { expectRowsClose, plainOf, rowOf, type ExportFn, type ExportValue, type LabClient, type Plain, type PlainTensor } from 'propgrade/spec';
import { wordsOf } from '../generators/bigram.ts';

/** Row t is T[w_t]: the distribution of the word after the t-th. */
const tableRows = (seq: PlainTensor, T: PlainTensor): PlainTensor =>
  plainOf([seq.shape[0]!, T.shape[1]!], wordsOf(seq).flatMap((w) => Array.from(rowOf(T, w).data)));

/** The student's RNN run over `seq` by the lab's driver (`table` given: the export is a function of it). */
export const runRNN = (lab: LabClient, rnn: ExportValue | ExportFn, seq: PlainTensor, table?: PlainTensor) =>
  lab.drive('runBigramRNN', rnn.name, seq, ...(table ? [table] : []));

/** Runs the student's RNN export and checks every step. */
export async function expectTableRowsAtEveryStep(lab: LabClient, rnn: ExportValue | ExportFn, seq: PlainTensor, T: PlainTensor, table?: PlainTensor): Promise<void> {
  expectTableRows(rnn, await runRNN(lab, rnn, seq, table), seq, T, table);
}

/** The outputs of a run of the student's RNN over `seq` are, at every step, the row of T for the word read. */
export function expectTableRows(rnn: ExportValue | ExportFn, outputs: Plain, seq: PlainTensor, T: PlainTensor, table?: PlainTensor): void {
  const what = `the outputs o_1 .. o_N of ${rnn.name}${table ? '(T)' : ''} run from h0 = 0`;
  expectRowsClose(outputs, tableRows(seq, T), { what });
}

/** A failing case shown as word indices and the table, not as one-hot rows. */
export const asWords = ({ T, seq }: { T: PlainTensor; seq: PlainTensor }) => ({ words: wordsOf(seq), T });
