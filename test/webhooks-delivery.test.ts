// Webhook delivery end to end on loopback (issue 6 item 2): the body is exactly
// {id, event, eventData, attempts, lastAttemptAt, createdAt} built by the same presenters as the
// API, and the receiver checks both signatures with its own node:crypto code against the raw
// body. WEBHOOK_ALLOW_PRIVATE is on so the loopback receiver may be reached.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../src/modules/organizations/organizations.service.ts';
import { standardWebhooksSecret } from '../src/modules/webhooks/delivery/signing.ts';
import type { WebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { client, T0, type Client, type TestApp } from './helpers/app.ts';
import type { factories } from './helpers/factories.ts';
import { webhookTestApp, type WebhookTestApp } from './helpers/webhook-app.ts';
import type { Received, Receiver } from './helpers/webhook-receiver.ts';

let h: WebhookTestApp;
let t: TestApp;
let f: ReturnType<typeof factories>;
let receiver: Receiver;
let worker: WebhookWorker;

beforeAll(async () => {
  h = await webhookTestApp();
  ({ t, f, receiver, worker } = h);
});
afterAll(() => h.close());

/** what a receiver written from the docs does: HMAC over the raw bytes, compared in constant time */
function verify(r: Received, signingKey: string) {
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const hc = createHmac('sha1', signingKey).update(r.body, 'utf8').digest('hex');
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  // Standard Webhooks: the secret "whsec_<base64>" decodes to the HMAC key bytes.
  const secret = Buffer.from(standardWebhooksSecret(signingKey).slice('whsec_'.length), 'base64');
  const sw = createHmac('sha256', secret).update(`${id}.${ts}.${r.body}`, 'utf8').digest('base64');
  const given = String(r.headers['webhook-signature']).split(' ').map((s) => s.replace(/^v1,/, ''));
  return { helpCrunch: same(String(r.headers['x-helpcrunch-signature']), hc), standard: given.some((g) => same(g, sw)) };
}

async function subscribedWorld(events: string[] | '*' = '*') {
  const world = await f.world();
  // A subscription gets the events from the second it is created on: the world's own events
  // (customer.new, chat.new) are a second older.
  t.clock.advance(1);
  const api = client(t.app, world.org.apiKey);
  const hook = (await api.post('/v1/webhooks', { url: receiver.url(`/org/${world.org.id}`), events })).body;
  const key = (await t.database.db.selectFrom('organizations').select('webhook_signing_key').where('id', '=', world.org.id).executeTakeFirstOrThrow()).webhook_signing_key;
  return { ...world, api, hook, key };
}

const forOrg = (orgId: number) => receiver.received.filter((r) => r.url === `/org/${orgId}`);

describe('a delivered event', () => {
  let w: Awaited<ReturnType<typeof subscribedWorld>>;
  let assigned: { body: any };
  let delivered: Received;

  beforeAll(async () => {
    t.clock.set(T0 + 4);
    w = await subscribedWorld(['chat.assigned']);
    assigned = await w.api.put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[1].id });
    expect(await worker.drain()).toMatchObject({ attempted: 1 });
    [delivered] = forOrg(w.org.id);
  });

  it('is one POST of exactly {id, event, eventData, attempts, lastAttemptAt, createdAt}', async () => {
    expect(forOrg(w.org.id)).toHaveLength(1);
    expect(Object.keys(delivered.json)).toEqual(['id', 'event', 'eventData', 'attempts', 'lastAttemptAt', 'createdAt']);
    const outbox = await t.database.db.selectFrom('outbox').select(['event_id']).where('chat_id', '=', w.chat.id).where('event', '=', 'chat.assigned').executeTakeFirstOrThrow();
    expect(delivered.json).toMatchObject({ id: outbox.event_id, event: 'chat.assigned', attempts: 0, lastAttemptAt: null, createdAt: String(T0 + 5) });
    expect(delivered.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('eventData is what the API answered (same presenters), with the [ext] assignment fields', async () => {
    expect(delivered.json.eventData.chat).toEqual(assigned.body);
    expect(delivered.json.eventData).toMatchObject({
      previousAssignee: null,
      assignedBy: { type: 'api_key', id: expect.any(Number), name: expect.any(String) },
      source: 'api',
    });
  });

  it('carries both signatures, valid for the raw body and the organization key', () => {
    expect(verify(delivered, w.key)).toEqual({ helpCrunch: true, standard: true });
    expect(delivered.headers['x-helpcrunch-signature']).toMatch(/^[0-9a-f]{40}$/);
    expect(delivered.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(delivered.headers['webhook-id']).toBe(delivered.json.id);
    expect(delivered.headers['webhook-timestamp']).toBe(String(T0 + 5));
    expect(delivered.headers['content-type']).toBe('application/json');
    // a tampered body or another key fails
    expect(verify({ ...delivered, body: delivered.body.replace('"attempts":0', '"attempts":1') }, w.key)).toEqual({ helpCrunch: false, standard: false });
    expect(verify(delivered, 'f'.repeat(64))).toEqual({ helpCrunch: false, standard: false });
  });

  it('is logged delivered with the response code and duration; nothing is attempted twice', async () => {
    const log = (await w.api.get(`/v1/webhooks/${w.hook.id}/deliveries`)).body;
    expect(log.meta.total).toBe(1);
    expect(log.data[0]).toMatchObject({ eventId: delivered.json.id, event: 'chat.assigned', attempt: 1, status: 'delivered', responseCode: 200, error: null, createdAt: String(T0 + 5) });
    expect(log.data[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(await worker.drain()).toMatchObject({ attempted: 0 });
    expect(forOrg(w.org.id)).toHaveLength(1);
  });
});

describe('which events go where', () => {
  it("a subscription gets only its events, and only its organization's", async () => {
    const a = await subscribedWorld(['chat.status_updated', 'chat.closed']);
    const b = await subscribedWorld('*');
    await a.api.put('/v1/chats/assignee', { id: a.chat.id, assignee: a.agents[0].id });
    await a.api.put('/v1/chats/status', { id: a.chat.id, status: 'closed' });
    await b.api.put('/v1/chats/status', { id: b.chat.id, status: 'pending' });
    await worker.drain();
    expect(forOrg(a.org.id).map((r) => r.json.event)).toEqual(['chat.status_updated', 'chat.closed']);
    expect(forOrg(b.org.id).map((r) => r.json.event)).toEqual(['chat.status_updated']);
    for (const r of forOrg(a.org.id)) expect(r.json.eventData.chat.id).toBe(a.chat.id);
  });

  it('events before the subscription existed are not delivered', async () => {
    const world = await f.world();
    await client(t.app, world.org.apiKey).put('/v1/chats/status', { id: world.chat.id, status: 'pending' });
    await worker.drain(); // fans the event out while nobody is subscribed
    t.clock.advance(1);
    await client(t.app, world.org.apiKey).post('/v1/webhooks', { url: receiver.url(`/org/${world.org.id}`) });
    await worker.drain();
    expect(forOrg(world.org.id)).toEqual([]);
  });

  it('every subscription of the organization gets its own delivery, signed with the key of the moment', async () => {
    const w = await subscribedWorld(['message.chat.customer']);
    const second = (await w.api.post('/v1/webhooks', { url: receiver.url(`/org/${w.org.id}`), events: ['message.chat.customer'] })).body;
    await w.api.post('/v1/messages', { chat: w.chat.id, text: 'Hello' });
    const { webhookSigningKey } = await rotateSigningKey(t.database, w.org.id);
    await worker.drain();
    const got = forOrg(w.org.id);
    expect(got).toHaveLength(2);
    expect(new Set(got.map((r) => r.json.id)).size).toBe(1); // the same event, once per subscription
    for (const r of got) expect(verify(r, webhookSigningKey)).toEqual({ helpCrunch: true, standard: true });
    const logs = await Promise.all([w.hook.id, second.id].map(async (id) => (await w.api.get(`/v1/webhooks/${id}/deliveries`)).body.data));
    expect(logs.map((l) => l.map((e: { status: string }) => e.status))).toEqual([['delivered'], ['delivered']]);
  });

  it('a deleted subscription gets nothing more, and its queue goes with it', async () => {
    const w = await subscribedWorld('*');
    await w.api.put('/v1/chats/status', { id: w.chat.id, status: 'pending' });
    await w.api.delete(`/v1/webhooks/${w.hook.id}`);
    await worker.drain();
    expect(forOrg(w.org.id)).toEqual([]);
    const left = await t.database.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', w.hook.id).execute();
    expect(left).toEqual([]);
  });
});
