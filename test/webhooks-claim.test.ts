// Several workers on one database (issue 6 item 3): each pending delivery is claimed by exactly
// one worker at a time (PostgreSQL: FOR UPDATE SKIP LOCKED + a lease; SQLite: one writer + the
// lease), a crashed worker's claim is taken over when its lease ends, and a stopping worker
// gives its claims back.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAttempts } from '../src/modules/webhooks/delivery/attempt.ts';
import { fanOut } from '../src/modules/webhooks/delivery/fan-out.ts';
import { claimDue } from '../src/modules/webhooks/deliveries.repository.ts';
import { settleDelivery } from '../src/modules/webhooks/delivery-outcomes.repository.ts';
import { client, T0, TEST_DB, type TestApp } from './helpers/app.ts';
import type { factories } from './helpers/factories.ts';
import { webhookTestApp, type WebhookTestApp } from './helpers/webhook-app.ts';
import { answer, type Receiver, type Responder } from './helpers/webhook-receiver.ts';

let h: WebhookTestApp;
let t: TestApp;
let f: ReturnType<typeof factories>;
let receiver: Receiver;
let respond: Responder = answer(200);
const newWorker = () => h.newWorker();

beforeAll(async () => {
  h = await webhookTestApp({ respond: (r, res) => respond(r, res) });
  ({ t, f, receiver } = h);
});
afterAll(() => h.close());

async function subscribedOrg(path: string) {
  const org = await f.org();
  await client(t.app, org.apiKey).post('/v1/webhooks', { url: receiver.url(path), events: ['chat.status_updated'] });
  return { org, api: client(t.app, org.apiKey) };
}

it('two workers draining at once: every event exactly once, one attempt per chat at a time, each chat in order', async () => {
  const { org, api } = await subscribedOrg('/two');
  const chats = [];
  for (let i = 0; i < 30; i++) chats.push(await f.chat(org.id, { applicationId: org.applicationId }));
  for (let round = 0; round < 10; round++) {
    for (const chat of chats) await api.put('/v1/chats/status', { id: chat.id, status: round % 2 === 0 ? 'pending' : 'onhold' });
  }
  const positions = new Map(
    (await t.database.db.selectFrom('outbox').select(['id', 'event_id']).where('organization_id', '=', org.id).where('event', '=', 'chat.status_updated').execute()).map(
      (r) => [r.event_id, r.id],
    ),
  );
  expect(positions.size).toBe(300);

  const inFlight = new Map<number, number>();
  let overlap = 0;
  respond = (r, res) => {
    const chat = r.json.eventData.chat.id as number;
    inFlight.set(chat, (inFlight.get(chat) ?? 0) + 1);
    if (inFlight.get(chat)! > 1) overlap++;
    setTimeout(() => {
      inFlight.set(chat, inFlight.get(chat)! - 1);
      res.writeHead(200).end();
    }, Math.random() * 3);
  };
  const [a, b] = await Promise.all([newWorker().drain(), newWorker().drain()]);
  const got = receiver.received.filter((r) => r.url === '/two');
  expect(a.attempted + b.attempted).toBe(300);
  expect(got).toHaveLength(300);
  expect(new Set(got.map((r) => r.json.id)).size).toBe(300); // no duplicates: no crash, no double claim
  expect(overlap).toBe(0);
  const byChat = new Map<number, number[]>();
  for (const r of got) byChat.set(r.json.eventData.chat.id, [...(byChat.get(r.json.eventData.chat.id) ?? []), positions.get(r.json.id)!]);
  for (const seq of byChat.values()) expect(seq).toEqual([...seq].sort((x, y) => x - y));
  expect(byChat.size).toBe(30);
});

it("a crashed worker's claim is taken over only when its lease ends; its late outcome is not recorded", async () => {
  respond = answer(200);
  const { org, api } = await subscribedOrg('/lease');
  const chat = await f.chat(org.id, { applicationId: org.applicationId });
  await api.put('/v1/chats/status', { id: chat.id, status: 'pending' });
  t.clock.set(T0 + 100);
  // Queue it, then claim it as a worker that will never come back (a 60 s lease).
  await fanOut(t.database, t.clock);
  const claimed = await t.database.write((trx) => claimDue(trx, t.clock.now(), 10, 'crashed-worker', t.clock.now() + 60));
  expect(claimed.map((d) => d.chat_id)).toEqual([chat.id]);

  const worker = newWorker();
  t.clock.set(T0 + 159);
  expect(await worker.drain()).toMatchObject({ attempted: 0 });
  expect(receiver.received.filter((r) => r.url === '/lease')).toEqual([]);
  t.clock.set(T0 + 160);
  expect(await worker.drain()).toMatchObject({ attempted: 1 });
  expect(receiver.received.filter((r) => r.url === '/lease').map((r) => r.json.eventData.chat.status)).toEqual(['pending']);
  const late = await t.database.write((trx) => settleDelivery(trx, claimed[0].id, 'crashed-worker', { status: 'failed', attempts: 1, lastAttemptAt: T0 }));
  expect(late).toBe(false);
  const row = await t.database.db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('id', '=', claimed[0].id).executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'delivered', attempts: 1 });
});

it('a stopping worker cuts its attempt short and gives the claim back: the next worker sends it at once', async () => {
  const held: ServerResponse[] = [];
  respond = (_r, res) => void held.push(res);
  const { org, api } = await subscribedOrg('/stop');
  const chat = await f.chat(org.id, { applicationId: org.applicationId });
  await api.put('/v1/chats/status', { id: chat.id, status: 'pending' });
  const stopping = newWorker();
  stopping.start();
  await expect.poll(() => held.length, { timeout: 5_000 }).toBe(1);
  await stopping.stop();
  const row = await t.database.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.status', 'd.attempts', 'd.lease_until', 'd.lease_owner'])
    .where('w.organization_id', '=', org.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'pending', attempts: 0, lease_until: 0, lease_owner: null });
  respond = answer(200);
  for (const res of held) res.destroy();
  expect(await newWorker().drain()).toMatchObject({ attempted: 1 });
  expect(receiver.received.filter((r) => r.url === '/stop')).toHaveLength(2); // at least once: the cut attempt may have arrived
});

// PostgreSQL only: SQLite runs writes one after another, so there is nothing to deadlock.
it.skipIf(TEST_DB !== 'postgres')('a round with a 410 and a DELETE of the same subscription do not deadlock', async () => {
  const { org, api } = await subscribedOrg('/gone-race');
  const [hook] = (await api.get('/v1/webhooks')).body.data as Array<{ id: number }>;
  for (let i = 0; i < 2; i++) {
    const chat = await f.chat(org.id, { applicationId: org.applicationId });
    await api.put('/v1/chats/status', { id: chat.id, status: 'pending' });
  }
  t.clock.set(T0 + 1_000);
  await fanOut(t.database, t.clock);
  const claimed = (await t.database.write((trx) => claimDue(trx, t.clock.now(), 100, 'racing-worker', t.clock.now() + 60))).filter(
    (d) => d.webhook_id === hook.id,
  );
  expect(claimed).toHaveLength(2);

  // DELETE /v1/webhooks/{id} in slow motion, in its order: the organization row first ...
  let lockHeld!: () => void;
  let finish!: () => void;
  const held = new Promise<void>((r) => (lockHeld = r));
  const finishing = new Promise<void>((r) => (finish = r));
  const deleted = t.database.write(async (deleting) => {
    await deleting.selectFrom('organizations').select('id').where('id', '=', org.id).forUpdate().execute();
    lockHeld();
    await finishing;
    await deleting.deleteFrom('webhooks').where('id', '=', hook.id).execute();
  });
  await held;
  // ... while the worker records a round: one delivery delivered, the other answered 410 ...
  const ctx = { clock: t.clock, sender: { send: async () => ({ status: 'delivered' as const, responseCode: 200, durationMs: 1, error: null }), close() {} }, owner: 'racing-worker', random: () => 0.5 };
  const recorded = t.database.write((trx) =>
    recordAttempts(trx, ctx, [
      { delivery: claimed[0], startedAt: t.clock.now(), outcome: { status: 'delivered', responseCode: 200, durationMs: 1, error: null } },
      { delivery: claimed[1], startedAt: t.clock.now(), outcome: { status: 'failed', responseCode: 410, durationMs: 1, error: 'HTTP 410' } },
    ]),
  );
  await new Promise((r) => setTimeout(r, 300)); // the round runs as far as it can
  // ... then the subscription and (cascading) its deliveries go. Had the round touched a
  // delivery before asking for the organization row, each side would now wait for the other.
  finish();
  await deleted;
  // The round waited for the organization row, found its deliveries gone, and wrote nothing.
  expect(await recorded).toEqual(['lost', 'lost']);
  expect(await t.database.db.selectFrom('webhook_attempts').select('id').where('webhook_id', '=', hook.id).execute()).toEqual([]);
});
