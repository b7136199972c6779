// Webhook failures reach the server log (issue 18 item 4): every attempt that fails or is
// blocked writes exactly one warn line naming the subscription, the event, why, and when it is
// tried again; a 410 that disables a subscription writes an error line. Targets are loopback
// only: "refused" is a loopback port nobody listens on; "blocked" is the SSRF guard refusing a
// loopback listener (which then sees no connection at all).
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../src/modules/webhooks/guard.ts';
import { createWebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../src/modules/webhooks/webhooks.service.ts';
import { buildTestApp, T0, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { captureLog, LEVEL } from './helpers/log-capture.ts';
import { answer, startReceiver, type Receiver } from './helpers/webhook-receiver.ts';

let t: TestApp;
let receiver: Receiver;
beforeAll(async () => {
  t = await buildTestApp();
  receiver = await startReceiver('127.0.0.1');
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

/** a loopback port with nothing listening on it (bound, read, closed) */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A new organization subscribed to `customer.new` at `url` (stored without the address rule,
 * as a subscription made while the name resolved elsewhere would be), one customer created,
 * and one drain of a worker whose guard allows loopback or not. Resolves with the log it wrote.
 */
async function deliverOnce(url: string, allowPrivate: boolean) {
  const f = factories(t.database, t.clock);
  const org = await f.org();
  const storing = createGuard({ allowPrivate: true });
  const hook = await createWebhook(t.database, t.clock, storing, org.id, createWebhookBody.parse({ url, events: ['customer.new'] }));
  await f.customer(org.id);
  const captured = captureLog('trace');
  const worker = createWebhookWorker({ database: t.database, clock: t.clock }, { config: { ...t.config, webhookAllowPrivate: allowPrivate, webhookTimeoutMs: 2_000 }, log: captured.log, random: () => 0.5 });
  expect(await worker.drain()).toMatchObject({ attempted: 1 });
  await worker.stop();
  const entries = captured.entries();
  return { hook, org, warns: entries.filter((e) => e.level === LEVEL.warn), errors: entries.filter((e) => e.level === LEVEL.error), entries };
}

describe('the webhook worker logs', () => {
  it('a refused delivery: exactly one warn line with the subscription, the event, the reason and the next attempt', async () => {
    const { hook, org, warns, errors } = await deliverOnce(`http://127.0.0.1:${await closedPort()}/hook`, true);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({
      msg: 'webhook delivery failed, retried later',
      organization: org.id,
      subscription: hook.id,
      event: 'customer.new',
      attempt: 1,
      outcome: 'failed',
      reason: expect.stringContaining('ECONNREFUSED'),
      // the first retry: 30 s later (random 0.5 → no jitter)
      nextAttempt: new Date((T0 + 30) * 1000).toISOString(),
    });
    expect(errors).toEqual([]);
  });

  it('a delivery blocked by the SSRF guard: exactly one warn line, and no connection made', async () => {
    const before = receiver.connections();
    const { hook, warns, errors } = await deliverOnce(receiver.url(), false);
    expect(receiver.connections()).toBe(before);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({
      msg: 'webhook delivery blocked, retried later',
      subscription: hook.id,
      event: 'customer.new',
      outcome: 'blocked',
      reason: expect.stringContaining('loopback'),
      nextAttempt: new Date((T0 + 30) * 1000).toISOString(),
    });
    expect(errors).toEqual([]);
  });

  it('a 410: the failed delivery is a warn line, the disabled subscription an error line', async () => {
    receiver.respond(answer(410));
    try {
      const { hook, warns, errors } = await deliverOnce(receiver.url(), true);
      expect(warns).toHaveLength(1);
      expect(warns[0]).toMatchObject({ subscription: hook.id, outcome: 'failed', nextAttempt: null, msg: 'webhook delivery failed, not retried' });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ subscription: hook.id, msg: expect.stringContaining('webhook subscription disabled') });
    } finally {
      receiver.respond(answer(200, 'ok'));
    }
  });

  it('a delivered one writes no warn line, and no line names the URL (it may carry credentials)', async () => {
    const url = receiver.url('/hook-with-secret').replace('http://', 'http://user:s3cret@');
    const { warns, errors, entries } = await deliverOnce(url, true);
    expect(receiver.received.at(-1)?.url).toBe('/hook-with-secret');
    expect([warns, errors]).toEqual([[], []]);
    const refused = await deliverOnce(url.replace(/:\d+\//, `:${await closedPort()}/`), true);
    expect(refused.warns).toHaveLength(1);
    for (const e of [...entries, ...refused.entries]) expect(JSON.stringify(e)).not.toContain('s3cret');
  });
});
