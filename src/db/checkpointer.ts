// Off-thread WAL checkpoints for a file database (see checkpoint-worker.mjs). The serving
// connection keeps SQLite's own auto-checkpoint as a safety net at a larger threshold, so the
// WAL stays bounded even if the worker falls behind or dies.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export const SAFETY_NET_PAGES = 10_000; // ~40 MiB of WAL before the serving thread checkpoints itself

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = 250, onError: (message: string) => void = () => {}): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { path, intervalMs } });
  worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
  worker.on('error', (err) => onError(String(err)));
  worker.unref(); // never keeps the process alive by itself
  return {
    async stop() {
      worker.ref(); // keep the process alive until the final checkpoint is done
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
