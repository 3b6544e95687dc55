// The part of istanbul-lib-instrument (no published types for v6) that coverage.ts uses.
declare module 'istanbul-lib-instrument' {
  import type { FileCoverageData } from 'istanbul-lib-coverage';

  export interface InstrumenterOptions {
    esModules?: boolean;
    parserPlugins?: string[];
    coverageVariable?: string;
    coverageGlobalScope?: string;
    coverageGlobalScopeFunc?: boolean;
    compact?: boolean;
    preserveComments?: boolean;
    produceSourceMap?: boolean;
  }

  export interface Instrumenter {
    instrumentSync(code: string, filename: string): string;
    lastFileCoverage(): FileCoverageData;
    /** With produceSourceMap: the map of the last instrumented file back to its source. */
    lastSourceMap(): object | null;
  }

  export function createInstrumenter(options?: InstrumenterOptions): Instrumenter;
}
