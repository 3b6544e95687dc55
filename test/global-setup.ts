// Tests that spawn the command line or plain Node need the built engine (dist/autograd.js).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), '--engine-only'], {
    stdio: 'inherit',
  });
}
