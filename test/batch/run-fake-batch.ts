// A batch with the fake grader in its own process, so a test can kill it half way or watch its lock:
// `<class> <out> [crash]`. With `crash`, the process dies of an uncaught exception once the first
// submission is graded (outside any promise chain: nothing of the batch's own clean-up runs).
import type { Progress } from '../../src/batch/progress.ts';
import { fakeBatch } from './fake.ts';

const [classDir, outDir, mode] = process.argv.slice(2);
const crash = (): Progress => ({
  finished: () => void setTimeout(() => {
    throw new Error('the batch process crashed');
  }),
  end: () => {},
});
await fakeBatch(classDir!, outDir!, mode === 'crash' ? { progress: crash, workers: 1 } : {});
