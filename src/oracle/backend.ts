/**
 * Loads TensorFlow.js once per process, on the best backend that works here: `tensorflow`
 * (@tensorflow/tfjs-node, an optional dependency that cannot install everywhere), then `wasm`, then
 * `cpu`. Asking for one backend by name gets that backend or a clear error, never another one.
 *
 * TensorFlow.js is its core (@tensorflow/tfjs-core) and those backends, not the union package
 * @tensorflow/tfjs: that one adds layers, the converter, data and webgl (140 MB of browser bundles
 * the oracle never uses). What the union's import added that the oracle does need, the gradients
 * (tf.grads) and the chained ops (x.add(y)), scripts/build.mjs bundles from core's own files.
 */
import type * as TF from '@tensorflow/tfjs-core';
// The chained ops' types (x.add(y)), which the gradients bundle registers at run time.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

export type Tf = typeof TF;
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The module that registers each backend with tfjs-core's engine (one per process: it lives on
 * globalThis). tfjs-node brings the union package along (its dependency), on the same core.
 */
const REGISTERS: Record<BackendName, () => Promise<unknown>> = {
  tensorflow: () => import('@tensorflow/tfjs-node' as string),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

export interface LoadedTf {
  tf: Tf;
  backend: BackendName;
  /** Why each preferred backend before `backend` was passed over. */
  skipped: { backend: BackendName; reason: string }[];
}

let tfModule: Promise<Tf> | undefined;

async function loadTf(): Promise<Tf> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    tf.env().set('IS_TEST', true); // no banner
    await registerGradients(); // after core: its engine and Tensor class are the ones registered on
    return tf;
  })();
  return tfModule;
}

/** tfjs-core's gradients and chained ops, which scripts/build.mjs bundles (npm ci's prepare). */
const GRADIENTS = new URL('../../dist/tfjs-gradients.js', import.meta.url);

async function registerGradients(): Promise<void> {
  try {
    await import(GRADIENTS.href);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error('TensorFlow.js has no gradients here: dist/tfjs-gradients.js is not built (run npm run build)');
  }
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
