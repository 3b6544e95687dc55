// A batch with the fake grader in its own process, so a test can kill it half way: `<class> <out>`.
import { fakeBatch } from './fake.ts';

const [classDir, outDir] = process.argv.slice(2);
await fakeBatch(classDir!, outDir!);
