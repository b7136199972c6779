// What the webhook suites set up alike: an app whose webhooks may reach loopback
// (WEBHOOK_ALLOW_PRIVATE), a receiver on loopback, and workers on the test's database and
// clock with a short attempt timeout. `close()` stops every worker made here, then the rest.
import { createWebhookWorker, type WebhookWorker } from '../../src/modules/webhooks/delivery/worker.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { factories } from './factories.ts';
import { startReceiver, type Receiver, type Responder } from './webhook-receiver.ts';

export interface WebhookTestApp {
  t: TestApp;
  f: ReturnType<typeof factories>;
  receiver: Receiver;
  /** a worker made at start (not started: tests drain it) */
  worker: WebhookWorker;
  /** another worker, with the suite's options and these config overrides */
  newWorker(config?: Partial<TestApp['config']>): WebhookWorker;
  close(): Promise<void>;
}

export async function webhookTestApp(opts: { respond?: Responder; random?: () => number } = {}): Promise<WebhookTestApp> {
  const t = await buildTestApp({ config: { webhookAllowPrivate: true } });
  const receiver = await startReceiver('127.0.0.1', opts.respond);
  const workers: WebhookWorker[] = [];
  const newWorker = (config: Partial<TestApp['config']> = {}) => {
    const worker = createWebhookWorker(
      { database: t.database, clock: t.clock },
      { config: { ...t.config, webhookTimeoutMs: 3_000, ...config }, ...(opts.random ? { random: opts.random } : {}) },
    );
    workers.push(worker);
    return worker;
  };
  return {
    t,
    f: factories(t.database, t.clock),
    receiver,
    worker: newWorker(),
    newWorker,
    async close() {
      for (const worker of workers) await worker.stop();
      await receiver.close();
      await t.close();
    },
  };
}
