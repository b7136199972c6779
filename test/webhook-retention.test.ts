// The webhook log's retention (issue 18 item 7), on a fake clock: settled deliveries queued
// before the retention and attempts made before it are deleted, in batches; a delivery still
// being retried and its next scheduled attempt are kept, and so is everything recent. The job
// runs with the server and stops cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryStatus, AttemptStatus } from '../src/db/schema.ts';
import { createGuard } from '../src/modules/webhooks/guard.ts';
import { createWebhookRetention, pruneWebhookLog } from '../src/modules/webhooks/retention.ts';
import { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../src/modules/webhooks/webhooks.service.ts';
import { buildTestApp, client, T0, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { captureLog } from './helpers/log-capture.ts';

const DAY = 86_400;
// A database per test: rows are queued in time order, as the worker queues them, and one
// test's recent rows must not stand before the next one's old rows.
let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

interface Row {
  status: DeliveryStatus;
  /** queued this many days after T0 */
  day: number;
  attempts: Array<{ status: AttemptStatus; day: number }>;
}

/** An organization with one subscription and, for each row, an event, its queue row and its log. */
async function world(rows: Row[]) {
  const f = factories(t.database, t.clock);
  t.clock.set(T0);
  const org = await f.org();
  const hook = await createWebhook(t.database, t.clock, createGuard({ allowPrivate: true }), org.id, createWebhookBody.parse({ url: 'http://127.0.0.1:9/hook', events: ['customer.new'] }));
  const ids: number[] = [];
  for (const r of rows) {
    await f.customer(org.id); // an event (customer.new) for the queue row to point at
    const outbox = await t.database.db.selectFrom('outbox').select('id').where('organization_id', '=', org.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const at = T0 + r.day * DAY;
    ids.push(
      await t.database.write(async (trx) => {
        const { id } = await trx
          .insertInto('webhook_deliveries')
          .values({
            organization_id: org.id, webhook_id: hook.id, outbox_id: outbox.id, chat_id: null, status: r.status, held: 0,
            attempts: r.attempts.filter((a) => a.status !== 'pending').length, next_attempt_at: at, last_attempt_at: at, created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [i, a] of r.attempts.entries()) {
          await trx
            .insertInto('webhook_attempts')
            .values({
              organization_id: org.id, webhook_id: hook.id, delivery_id: id, outbox_id: outbox.id, attempt: i + 1, status: a.status,
              response_code: a.status === 'delivered' ? 200 : null, duration_ms: a.status === 'pending' ? null : 5, error: null, created_at: T0 + a.day * DAY,
            })
            .execute();
        }
        return id;
      }),
    );
  }
  return { org, hook, ids };
}

const remaining = async (hookId: number) => ({
  deliveries: (await t.database.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hookId).orderBy('id').execute()).map((r) => r.id),
  attempts: (await t.database.db.selectFrom('webhook_attempts').select(['delivery_id', 'attempt', 'status']).where('webhook_id', '=', hookId).orderBy('id').execute()).map(
    (a) => `${a.delivery_id}#${a.attempt} ${a.status}`,
  ),
});

/** 40 days on, a 30-day retention keeps what happened from day 10 on; rows in the order they were queued */
const STORY: Row[] = [
  ...Array.from({ length: 5 }, (): Row => ({ status: 'delivered', day: 0, attempts: [{ status: 'delivered', day: 0 }] })),
  { status: 'failed', day: 1, attempts: [{ status: 'failed', day: 1 }, { status: 'failed', day: 2 }] }, // given up
  { status: 'cancelled', day: 2, attempts: [{ status: 'failed', day: 3 }] }, // its subscription was disabled
  // still being retried (a retention shorter than the retries): it is kept, and its next attempt
  { status: 'pending', day: 3, attempts: [{ status: 'failed', day: 3 }, { status: 'pending', day: 41 }] },
  // given up on day 12: its last attempt is recent, so it stays, with that attempt
  { status: 'failed', day: 9, attempts: [{ status: 'failed', day: 9 }, { status: 'failed', day: 12 }] },
  ...Array.from({ length: 3 }, (): Row => ({ status: 'delivered', day: 20, attempts: [{ status: 'delivered', day: 20 }] })),
];

describe('the webhook log retention', () => {
  it('deletes attempts older than the retention, then settled deliveries left without a log, in batches', async () => {
    const { org, hook, ids } = await world(STORY);
    t.clock.set(T0 + 40 * DAY);
    const pruned = await pruneWebhookLog(t.database, t.clock, { retentionDays: 30, batchSize: 2 });
    // deliveries: 5 delivered, the failed and the cancelled one; attempts: 5 + 2 + 1 + 1 + 1
    expect(pruned).toEqual({ deliveries: 7, attempts: 10 });
    const [pending, givenUp, ...recent] = ids.slice(7);
    expect(await remaining(hook.id)).toEqual({
      deliveries: [pending, givenUp, ...recent],
      attempts: [`${pending}#2 pending`, `${givenUp}#2 failed`, ...recent.map((id) => `${id}#1 delivered`)],
    });
    // the API's delivery log says the same
    const log = (await client(t.app, org.apiKey).get(`/v1/webhooks/${hook.id}/deliveries`)).body;
    expect(log.meta.total).toBe(5);

    // a second pass finds nothing; a later one deletes what has aged meanwhile
    expect(await pruneWebhookLog(t.database, t.clock, { retentionDays: 30, batchSize: 2 })).toEqual({ deliveries: 0, attempts: 0 });
    t.clock.set(T0 + 51 * DAY);
    expect(await pruneWebhookLog(t.database, t.clock, { retentionDays: 30, batchSize: 2 })).toEqual({ deliveries: 4, attempts: 4 });
    expect(await remaining(hook.id)).toEqual({ deliveries: [pending], attempts: [`${pending}#2 pending`] });
  });

  it('a longer retention keeps more; a stopping pass leaves after one statement', async () => {
    const { hook } = await world(STORY.slice(0, 5));
    t.clock.set(T0 + 40 * DAY);
    expect(await pruneWebhookLog(t.database, t.clock, { retentionDays: 41, batchSize: 2 })).toEqual({ deliveries: 0, attempts: 0 });
    const stopped = await pruneWebhookLog(t.database, t.clock, { retentionDays: 30, batchSize: 2, shouldContinue: () => false });
    expect(stopped).toEqual({ deliveries: 0, attempts: 2 }); // one batch, then it left
    expect((await remaining(hook.id)).attempts).toHaveLength(3);
    expect(await pruneWebhookLog(t.database, t.clock, { retentionDays: 30, batchSize: 2 })).toEqual({ deliveries: 5, attempts: 3 });
  });

  it('the job prunes when started, logs what it deleted, and stops', async () => {
    const { hook } = await world(STORY.slice(0, 3));
    t.clock.set(T0 + 40 * DAY);
    const captured = captureLog('info');
    const job = createWebhookRetention({ database: t.database, clock: t.clock }, { retentionDays: 30, batchSize: 2, intervalMs: 60_000, log: captured.log });
    job.start();
    await vi.waitFor(async () => expect((await remaining(hook.id)).deliveries).toEqual([]), { timeout: 10_000, interval: 20 });
    await job.stop();
    expect(captured.entries().filter((e) => e.msg === 'webhook log pruned')).toEqual([
      expect.objectContaining({ deliveries: 3, attempts: 3, retentionDays: 30 }),
    ]);
  });
});
