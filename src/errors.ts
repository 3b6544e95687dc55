/**
 * The one error every part of propgrade may throw for a mistake of whoever called it — a wrong
 * option, a folder that is no lab, a broken config, a batch folder in use — as opposed to a fault
 * of the grader. The command line prints its message alone and exits 2.
 */
export class CallerError extends Error {
  override name = 'CallerError';
}
