// Webhook bookkeeping is paid only where a subscription wants it: an event no active
// subscription of its organization is interested in is written already fanned out
// (`webhook_pending = 0`) and the worker never touches it, while a subscription still gets
// exactly the events committed after it was created — also when the creation and a write race
// (the interleavings are forced here; PostgreSQL decides them by the organization row's lock,
// SQLite by its single writer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import type { CommittedEvent } from '../src/events/outbox.ts';
import { appendEvent } from '../src/events/outbox.ts';
import { createWebhookWorker, type WebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { addSubscription } from '../src/modules/webhooks/webhooks.service.ts';
import { client, TEST_DB, type TestApp } from './helpers/app.ts';
import type { factories } from './helpers/factories.ts';
import { webhookTestApp, type WebhookTestApp } from './helpers/webhook-app.ts';
import type { Receiver } from './helpers/webhook-receiver.ts';

let h: WebhookTestApp;
let t: TestApp;
let f: ReturnType<typeof factories>;
let receiver: Receiver;
let worker: WebhookWorker;

beforeAll(async () => {
  // '/gone…' answers 410 Gone (the subscription is then disabled); everything else 200
  h = await webhookTestApp({ respond: (r, res) => void res.writeHead(r.url.startsWith('/gone') ? 410 : 200).end() });
  ({ t, f, receiver, worker } = h);
});
afterAll(() => h.close());

const forPath = (path: string) => receiver.received.filter((r) => r.url === path);
const outboxOf = (orgId: number) =>
  t.database.db.selectFrom('outbox').select(['id', 'event_id', 'event', 'webhook_pending']).where('organization_id', '=', orgId).orderBy('id').execute();
const pendingOf = async (orgId: number) => (await outboxOf(orgId)).filter((r) => r.webhook_pending === 1).map((r) => r.event);

async function worldWithApi() {
  const w = await f.world();
  return { ...w, api: client(t.app, w.org.apiKey) };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
const settledWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('an organization without subscriptions', () => {
  it('writes its events not pending, and the worker fans out only the subscribed organization’s', async () => {
    const quiet = await worldWithApi();
    const loud = await worldWithApi();
    await loud.api.post('/v1/webhooks', { url: receiver.url('/loud') });
    await worker.drain(); // nothing left over from the worlds' setup
    await quiet.api.put('/v1/chats/assignee', { id: quiet.chat.id, assignee: quiet.agents[0].id });
    await quiet.api.put('/v1/chats/status', { id: quiet.chat.id, status: 'pending' });
    await loud.api.put('/v1/chats/assignee', { id: loud.chat.id, assignee: loud.agents[0].id });

    // Already settled as written: the worker has nothing to mark for the quiet organization.
    expect((await outboxOf(quiet.org.id)).map((r) => r.webhook_pending)).toEqual([0, 0, 0, 0]); // customer.new, chat.new, chat.assigned, chat.status_updated
    expect(await pendingOf(loud.org.id)).toEqual(['chat.assigned']);
    expect(await worker.drain()).toEqual({ fannedOut: 1, attempted: 1 });
    expect(forPath('/loud').map((r) => r.json.event)).toEqual(['chat.assigned']);
    expect(await pendingOf(loud.org.id)).toEqual([]);
  });

  it('an event no subscription wants is not pending either; one it wants is', async () => {
    const w = await worldWithApi();
    await w.api.post('/v1/webhooks', { url: receiver.url('/closed-only'), events: ['chat.closed'] });
    await w.api.post('/v1/webhooks', { url: receiver.url('/closed-only'), events: ['chat.rated', 'chat.closed'] });
    await w.api.put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[0].id });
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'closed' });
    expect(await pendingOf(w.org.id)).toEqual(['chat.closed']);
    expect(await worker.drain()).toEqual({ fannedOut: 1, attempted: 2 });
    expect(forPath('/closed-only').map((r) => r.json.event)).toEqual(['chat.closed', 'chat.closed']);
  });

  it('deleting the last subscription makes the next events not pending again', async () => {
    const w = await worldWithApi();
    const hook = (await w.api.post('/v1/webhooks', { url: receiver.url('/deleted') })).body;
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    expect(await pendingOf(w.org.id)).toEqual(['chat.status_updated']);
    expect((await w.api.delete(`/v1/webhooks/${hook.id}`)).status).toBe(200);
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'onhold' });
    expect(await pendingOf(w.org.id)).toEqual(['chat.status_updated']); // only the first
    expect(await worker.drain()).toMatchObject({ fannedOut: 1, attempted: 0 });
    expect(forPath('/deleted')).toEqual([]);
  });

  it('a subscription disabled by 410 Gone stops making its events pending', async () => {
    const w = await worldWithApi();
    await w.api.post('/v1/webhooks', { url: receiver.url('/gone'), events: ['chat.status_updated'] });
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    await worker.drain();
    expect(forPath('/gone')).toHaveLength(1);
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'onhold' });
    expect(await pendingOf(w.org.id)).toEqual([]);
  });
});

describe('a subscription created after some events', () => {
  /** the organization's last outbox position so far */
  const mark = async (orgId: number) => Math.max(0, ...(await outboxOf(orgId)).map((r) => r.id));
  const eventIdsAfter = async (orgId: number, position: number) => (await outboxOf(orgId)).filter((r) => r.id > position).map((r) => r.event_id);
  const receivedIds = (path: string) => forPath(path).map((r) => r.json.id as string);

  it('gets exactly the events committed after it, though they share a second with the ones before', async () => {
    const w = await worldWithApi();
    // An older subscription keeps every event pending, so the clock (which stands still here)
    // could not tell the events before the newer subscription from those after it.
    await w.api.post('/v1/webhooks', { url: receiver.url('/older') });
    const olderFrom = await mark(w.org.id);
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    await w.api.post('/v1/messages', { chat: w.chat.id, text: 'before' });
    await w.api.post('/v1/webhooks', { url: receiver.url('/newer') });
    const newerFrom = await mark(w.org.id);
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'onhold' });
    await w.api.post('/v1/messages', { chat: w.chat.id, text: 'after' });
    await worker.drain();
    expect(receivedIds('/older')).toEqual(await eventIdsAfter(w.org.id, olderFrom));
    expect(receivedIds('/newer')).toEqual(await eventIdsAfter(w.org.id, newerFrom));
    expect(receivedIds('/newer').length).toBeGreaterThanOrEqual(2);
    expect(receivedIds('/older').length).toBeGreaterThan(receivedIds('/newer').length);
  });

  it('also when nothing was pending before it', async () => {
    const w = await worldWithApi();
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    await w.api.post('/v1/webhooks', { url: receiver.url('/first') });
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'onhold' });
    await worker.drain();
    expect(forPath('/first').map((r) => [r.json.event, r.json.eventData.chat.status])).toEqual([['chat.status_updated', 'onhold']]);
  });
});

describe('a subscription created while a write is in flight', () => {
  it('writes that wait for the creation to commit are delivered to it', async () => {
    const w = await worldWithApi();
    const held = gate();
    const locked = gate();
    const creating = t.database.write(async (trx) => {
      const hook = await addSubscription(trx, t.clock, w.org.id, receiver.url('/raced-after'), ['*']);
      locked.open();
      await held.opened;
      return hook;
    });
    await locked.opened;
    // A use case through the API, and a transaction whose only statement is the outbox insert:
    // on PostgreSQL that statement's snapshot is older than the subscription, and what it
    // writes must still come from the organization row as the subscription left it.
    const writing = w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    const appending = t.database.write((trx) =>
      appendEvent(trx, { orgId: w.org.id, event: 'chat.closed', chatId: null, eventData: { raced: true }, createdAt: t.clock.now() }),
    );
    expect(await settledWithin(Promise.race([writing, appending]), 150)).toBe(false); // PostgreSQL: behind the organization row's lock; SQLite: behind the writer
    held.open();
    await creating;
    expect((await writing).status).toBe(200);
    await appending;
    expect((await pendingOf(w.org.id)).sort()).toEqual(['chat.closed', 'chat.status_updated']);
    await worker.drain();
    expect(forPath('/raced-after').map((r) => r.json.event).sort()).toEqual(['chat.closed', 'chat.status_updated']);
  });

  it('a creation that waits for a write to commit does not get that write’s event', async () => {
    const w = await worldWithApi();
    await w.api.post('/v1/webhooks', { url: receiver.url('/raced-existing') });
    const held = gate();
    const written = gate();
    const writing = t.database.write(async (trx) => {
      await appendEvent(trx, { orgId: w.org.id, event: 'chat.closed', chatId: w.chat.id, eventData: { raced: true }, createdAt: t.clock.now() });
      written.open();
      await held.opened;
    });
    await written.opened;
    const creating = w.api.post('/v1/webhooks', { url: receiver.url('/raced-before') });
    if (TEST_DB === 'postgres') expect(await settledWithin(creating, 150)).toBe(false); // waits for the writer's row lock
    held.open();
    await writing;
    expect((await creating).status).toBe(201);
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'onhold' });
    await worker.drain();
    expect(forPath('/raced-existing').map((r) => r.json.event)).toEqual(['chat.closed', 'chat.status_updated']);
    expect(forPath('/raced-before').map((r) => r.json.event)).toEqual(['chat.status_updated']);
  });
});

describe('the running worker', () => {
  it('is woken by committed events that are pending, not by the others', async () => {
    let writes = 0;
    const counting: Database = { ...t.database, write: (work) => (writes++, t.database.write(work)) };
    let listener: ((e: Pick<CommittedEvent, 'webhookPending'>) => void) | null = null;
    const running = createWebhookWorker(
      { database: counting, clock: t.clock },
      { config: { ...t.config, webhookTimeoutMs: 3_000, webhookPollMs: 600_000 }, onEvent: (l) => ((listener = l), () => (listener = null)) },
    );
    running.start();
    try {
      await expect.poll(() => writes).toBeGreaterThan(0); // the first round at start
      await new Promise((r) => setTimeout(r, 100));
      const idle = writes;
      listener!({ webhookPending: false });
      await new Promise((r) => setTimeout(r, 100));
      expect(writes).toBe(idle);
      listener!({ webhookPending: true });
      await expect.poll(() => writes).toBeGreaterThan(idle);
    } finally {
      await running.stop();
    }
  });
});
