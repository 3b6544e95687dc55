// Graded and mutation runs need reproducible cases: pin fast-check's seed (FIELD-NOTES, fast-check).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.PROPGRADE_TEST_SEED ?? 20261125) });
