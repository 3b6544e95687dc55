/**
 * The bundled recurrent-network lab, as the project's own tests reach it: its loaded definition,
 * its reference, corpus and task ids. One place, so that the tests name no path of the lab twice.
 */
import { join } from 'node:path';
import { DEFAULT_LAB, loadLab } from '../../src/lab/load.ts';

export const RNN = await loadLab(DEFAULT_LAB);
export const RNN_PUBLIC = await loadLab(DEFAULT_LAB, { hidden: false });
export const REFERENCE_LAB = RNN.paths.reference!;
export const CORPUS_DIR = RNN.paths.corpus!;
export const TASK_IDS = RNN.tasks.map((t) => t.id);
export const taskById = (id: string) => RNN.task(id);
/** A corpus submission's folder. */
export const corpusSubmission = (name: string) => join(CORPUS_DIR, name);
