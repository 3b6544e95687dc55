/**
 * The bundled attention lab, as the project's own tests reach it: its loaded definition and folder.
 * One place, so that the tests name no path of the lab twice.
 */
import { join } from 'node:path';
import { BUNDLED_LABS, loadLab } from '../../src/lab/load.ts';

export const ATTENTION_DIR = join(BUNDLED_LABS, 'attention');
export const ATTENTION = await loadLab(ATTENTION_DIR);
export const ATTENTION_PUBLIC = await loadLab(ATTENTION_DIR, { hidden: false });
/** A corpus submission's folder. */
export const attentionSubmission = (name: string) => join(ATTENTION.paths.corpus!, name);
