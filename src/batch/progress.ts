/**
 * Batch progress on stderr: one bar redrawn in place on a terminal, one plain line per finished
 * submission otherwise (CI logs keep every line and have no use for carriage returns). A folder's
 * name is shown as plain text on one line: escape codes in it cannot redraw the terminal.
 */
import { oneLine } from '../model/text.ts';
import type { Entry } from './summary.ts';

export interface Progress {
  finished(entry: Entry): void;
  end(): void;
}

const score = (entry: Entry) => (entry.score === null ? 'not graded' : `${Number(entry.score.toFixed(2))}/${Number(entry.maxScore.toFixed(2))}`);

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let done = 0;
  const started = Date.now();
  const eta = () => {
    if (done === 0) return '';
    const seconds = Math.round((((Date.now() - started) / done) * (total - done)) / 1000);
    return ` ~${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s left`;
  };

  if (!stream.isTTY) {
    return {
      finished(entry) {
        done += 1;
        const status = entry.status === 'graded' ? '' : ` (${entry.fault ?? entry.status})`;
        stream.write(`[${done}/${total}] ${oneLine(entry.name)}: ${score(entry)}${status} in ${(entry.durationMs / 1000).toFixed(1)} s\n`);
      },
      end() {},
    };
  }
  const draw = (last: string) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${eta()}  ${last}`;
    stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 80) - 1)}`);
  };
  draw('');
  return {
    finished(entry) {
      done += 1;
      draw(`${oneLine(entry.name)} ${score(entry)}`);
    },
    end() {
      stream.write('\n');
    },
  };
}
