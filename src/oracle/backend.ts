/**
 * Loads TensorFlow.js once per process, on the best backend that works here: `tensorflow`
 * (@tensorflow/tfjs-node, an optional dependency that cannot install everywhere), then `wasm`, then
 * `cpu`. Asking for one backend by name gets that backend or a clear error, never another one.
 */
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The module that registers each backend with the shared @tensorflow/tfjs instance. */
const REGISTERS: Record<BackendName, () => Promise<unknown>> = {
  tensorflow: () => import('@tensorflow/tfjs-node' as string),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: async () => undefined, // built into @tensorflow/tfjs
};

export interface LoadedTf {
  tf: Tf;
  backend: BackendName;
  /** Why each preferred backend before `backend` was passed over. */
  skipped: { backend: BackendName; reason: string }[];
}

let tfModule: Promise<Tf> | undefined;

async function loadTf(): Promise<Tf> {
  tfModule ??= import('@tensorflow/tfjs').then((tf) => {
    tf.env().set('IS_TEST', true); // no banner
    return tf;
  });
  return tfModule;
}

export const isBackendName = (name: string): name is BackendName => (BACKENDS as readonly string[]).includes(name);

async function activate(tf: Tf, backend: BackendName): Promise<void> {
  await REGISTERS[backend]();
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not initialise the ${backend} backend`);
  await tf.ready();
}

/** TensorFlow.js on `backend`, or on the first of BACKENDS that loads when none is asked for. */
export async function loadBackend(backend?: BackendName): Promise<LoadedTf> {
  const tf = await loadTf();
  if (backend !== undefined) {
    try {
      await activate(tf, backend);
    } catch (error) {
      throw new Error(`oracle: the ${backend} backend is not available here (${reason(error)}); choose one of ${BACKENDS.join(', ')}`);
    }
    return { tf, backend, skipped: [] };
  }
  const skipped: LoadedTf['skipped'] = [];
  for (const candidate of BACKENDS) {
    try {
      await activate(tf, candidate);
      return { tf, backend: candidate, skipped };
    } catch (error) {
      skipped.push({ backend: candidate, reason: reason(error) });
    }
  }
  throw new Error(`oracle: no TensorFlow.js backend loads: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** Every backend in `order` that loads here (benchmarks compare them), and why the others do not. */
export async function loadEveryBackend(order: readonly BackendName[] = BACKENDS): Promise<{ tf: Tf; backends: BackendName[]; skipped: LoadedTf['skipped'] }> {
  const tf = await loadTf();
  const backends: BackendName[] = [];
  const skipped: LoadedTf['skipped'] = [];
  for (const backend of order) {
    try {
      await activate(tf, backend);
      backends.push(backend);
    } catch (error) {
      skipped.push({ backend, reason: reason(error) });
    }
  }
  return { tf, backends, skipped };
}

const reason = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error));
