// Webhook subscriptions [ext] (issue 6 item 1, API.md §4.6, §4.8): POST/GET/DELETE
// /v1/webhooks, the delivery log's shape, and the organization's signing key (org show /
// rotate-signing-key through the services the CLI calls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../src/events/names.ts';
import { rotateSigningKey, showOrganization } from '../src/modules/organizations/organizations.service.ts';
import { createWebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;
let api: Client;
const URL_A = 'http://127.0.0.1:9/a'; // never contacted: no worker runs in this file but the one test that answers it

beforeAll(async () => {
  // Loopback URLs are stored only because the address rule is lifted here (see ssrf.test.ts).
  t = await buildTestApp({ config: { webhookAllowPrivate: true } });
  f = factories(t.database, t.clock);
  org = await f.org();
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

const NOT_FOUND = [INVALID, { code: 'not_found', message: 'Webhook not found' }];

describe('POST /v1/webhooks', () => {
  it('201 with {id, url, events, active, createdAt} in that order', async () => {
    const res = await api.post('/v1/webhooks', { url: URL_A, events: ['chat.assigned', 'chat.new'] });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['id', 'url', 'events', 'active', 'createdAt']);
    // names are kept in the order of API.md §4.5
    expect(res.body).toEqual({ id: expect.any(Number), url: URL_A, events: ['chat.new', 'chat.assigned'], active: true, createdAt: String(T0) });
    expectExact(await api.get(`/v1/webhooks/${res.body.id}`), 200, res.body);
  });

  it.each([
    ['"*"', '*', ['*']],
    ['["*"]', ['*'], ['*']],
    ['"*" among names', ['chat.new', '*'], ['*']],
    ['absent', undefined, ['*']],
    ['null', null, ['*']],
    ['a name twice', ['chat.new', 'chat.new'], ['chat.new']],
    ['every name', [...EVENTS], [...EVENTS]],
  ])('events %s → %j', async (_, events, stored) => {
    const res = await api.post('/v1/webhooks', { url: URL_A, ...(events === undefined ? {} : { events }) });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual(stored);
  });

  it.each([
    [{ events: ['*'] }, [{ code: 'url', message: 'This value should not be blank.' }]],
    [{ url: '', events: ['*'] }, [{ code: 'url', message: 'This value should not be blank.' }]],
    [{ url: 42 }, [{ code: 'url', message: 'This value should be of type string.' }]],
    [{ url: 'ftp://example.com/x' }, [{ code: 'url', message: 'Only http and https URLs are allowed.' }]],
    [{ url: 'javascript:alert(1)' }, [{ code: 'url', message: 'Only http and https URLs are allowed.' }]],
    [{ url: 'not a url' }, [{ code: 'url', message: 'This value is not a valid URL.' }]],
    [{ url: `http://127.0.0.1/${'x'.repeat(2048)}` }, [{ code: 'url', message: 'This value is too long. It should have 2048 characters or less.' }]],
    [{ url: URL_A, events: [] }, [{ code: 'events', message: 'This collection should contain 1 element or more.' }]],
    [{ url: URL_A, events: ['chat.new', 'chat.deleted'] }, [{ code: 'events', message: 'One or more of the given values is invalid.' }]],
    [{ url: URL_A, events: 'chat.new' }, [{ code: 'events', message: 'This value should be of type array.' }]],
    [{ url: URL_A, events: [7] }, [{ code: 'events', message: 'One or more of the given values is invalid.' }]],
    [{ url: 'gopher://x', events: {} }, [{ code: 'url', message: 'Only http and https URLs are allowed.' }, { code: 'events', message: 'This value should be of type array.' }]],
  ])('%j → 400 naming every failing field; nothing stored', async (body, items) => {
    const before = (await api.get('/v1/webhooks')).body.meta.total;
    expect400(await api.post('/v1/webhooks', body), ...items);
    expect((await api.get('/v1/webhooks')).body.meta.total).toBe(before);
  });

  it('a body that is not an object → 400 on body', async () => {
    expect400(await api.post('/v1/webhooks', [URL_A]), { code: 'body', message: 'This value should be of type object.' });
  });
});

describe('GET and DELETE /v1/webhooks', () => {
  it("lists the organization's own subscriptions, oldest first, with meta.total and paging", async () => {
    const other = await f.org();
    const mine = await f.org();
    const c = client(t.app, mine.apiKey);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await c.post('/v1/webhooks', { url: `${URL_A}/${i}` })).body.id);
    await client(t.app, other.apiKey).post('/v1/webhooks', { url: URL_A });
    const all = await c.get('/v1/webhooks');
    expect(all.body.data.map((w: { id: number }) => w.id)).toEqual(ids);
    expect(all.body.meta).toEqual({ total: 3 });
    expect((await c.get('/v1/webhooks?offset=1&limit=1')).body).toEqual({ data: [all.body.data[1]], meta: { total: 3 } });
    expect400(await c.get('/v1/webhooks?limit=-1'), { code: 'limit', message: 'This value should be either positive or zero.' });
  });

  it('DELETE → 200 "Ok"; then it is gone: 404 on read, delete and deliveries', async () => {
    const { id } = (await api.post('/v1/webhooks', { url: URL_A })).body;
    const res = await api.delete(`/v1/webhooks/${id}`);
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '"Ok"' });
    expectError(await api.get(`/v1/webhooks/${id}`), 404, ...NOT_FOUND);
    expectError(await api.delete(`/v1/webhooks/${id}`), 404, ...NOT_FOUND);
    expectError(await api.get(`/v1/webhooks/${id}/deliveries`), 404, ...NOT_FOUND);
    expect((await api.get('/v1/webhooks')).body.data.map((w: { id: number }) => w.id)).not.toContain(id);
  });

  it("another organization's subscription is exactly a missing one, and stays", async () => {
    const other = await f.org();
    const theirs = (await client(t.app, other.apiKey).post('/v1/webhooks', { url: URL_A })).body.id;
    for (const path of [`/v1/webhooks/${theirs}`, `/v1/webhooks/${theirs}/deliveries`]) expectError(await api.get(path), 404, ...NOT_FOUND);
    expectError(await api.delete(`/v1/webhooks/${theirs}`), 404, ...NOT_FOUND);
    expect((await client(t.app, other.apiKey).get(`/v1/webhooks/${theirs}`)).status).toBe(200);
  });

  it.each(['abc', '0', '-1', '1.5'])('a non-numeric or non-positive id (%s) → the general 404', async (id) => {
    expectError(await api.get(`/v1/webhooks/${id}`), 404, ...NOT_FOUND);
  });
});

describe('GET /v1/webhooks/{id}/deliveries', () => {
  it('lists attempts newest first with {id, eventId, event, attempt, status, responseCode, durationMs, error, createdAt}', async () => {
    const o = await f.org();
    const c = client(t.app, o.apiKey);
    const hook = (await c.post('/v1/webhooks', { url: 'http://127.0.0.1:9/refused', events: ['chat.new'] })).body;
    expect((await c.get(`/v1/webhooks/${hook.id}/deliveries`)).body).toEqual({ data: [], meta: { total: 0 } });
    const chat = await f.chat(o.id, { applicationId: o.applicationId });
    // Port 9 (discard) is closed on loopback: the attempt fails at once and is retried later.
    const worker = createWebhookWorker({ database: t.database, clock: t.clock }, { config: { ...t.config, webhookTimeoutMs: 2_000 }, random: () => 0.5 });
    await worker.drain();
    await worker.stop();
    const { body } = await c.get(`/v1/webhooks/${hook.id}/deliveries`);
    const eventId = (await t.database.db.selectFrom('outbox').select('event_id').where('chat_id', '=', chat.id).executeTakeFirstOrThrow()).event_id;
    expect(body.meta).toEqual({ total: 2 });
    expect(Object.keys(body.data[0])).toEqual(['id', 'eventId', 'event', 'attempt', 'status', 'responseCode', 'durationMs', 'error', 'createdAt']);
    expect(body.data[0]).toEqual({
      id: expect.any(Number), eventId, event: 'chat.new', attempt: 2, status: 'pending',
      responseCode: null, durationMs: null, error: null, createdAt: String(T0 + 30), // due 30 s later
    });
    expect(body.data[1]).toEqual({
      id: expect.any(Number), eventId, event: 'chat.new', attempt: 1, status: 'failed',
      responseCode: null, durationMs: expect.any(Number), error: expect.stringContaining('ECONNREFUSED'), createdAt: String(T0),
    });
  });
});

describe('signing key (handoff org show / org rotate-signing-key)', () => {
  it('show → {id, name, domain, applicationId, webhookSigningKey, rateLimitPerMinute}; rotate replaces only the key', async () => {
    const o = await f.org({ name: 'Signing Co', rateLimitPerMinute: 77 });
    const shown = await showOrganization(t.database.db, o.id);
    expect(Object.keys(shown)).toEqual(['id', 'name', 'domain', 'applicationId', 'webhookSigningKey', 'rateLimitPerMinute']);
    expect(shown).toEqual({
      id: o.id, name: 'Signing Co', domain: 'signing-co', applicationId: o.applicationId, webhookSigningKey: expect.stringMatching(/^[0-9a-f]{64}$/), rateLimitPerMinute: 77,
    });
    const rotated = await rotateSigningKey(t.database, o.id);
    expect(rotated).toEqual({ ...shown, webhookSigningKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(rotated.webhookSigningKey).not.toBe(shown.webhookSigningKey);
    expect(await showOrganization(t.database.db, o.id)).toEqual(rotated);
  });

  it('an unknown organization → NotFound', async () => {
    await expect(showOrganization(t.database.db, 987_654)).rejects.toMatchObject({ entity: 'Organization' });
    await expect(rotateSigningKey(t.database, 987_654)).rejects.toMatchObject({ entity: 'Organization' });
  });
});

describe('configuration', () => {
  it('webhook settings default sensibly and are refused with every problem listed', async () => {
    const { loadConfig, ConfigError } = await import('../src/config.ts');
    expect(loadConfig({})).toMatchObject({
      webhookAllowPrivate: false, webhookWorker: true, webhookTimeoutMs: 10_000, webhookConcurrency: 32, webhookPollMs: 1_000, webhookLeaseSeconds: 60,
    });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_WORKER: 'false' })).toMatchObject({ webhookAllowPrivate: true, webhookWorker: false });
    let err: unknown;
    try {
      loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes', WEBHOOK_TIMEOUT_MS: '20000', WEBHOOK_LEASE_SECONDS: '15', WEBHOOK_CONCURRENCY: '0' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect([...(err as InstanceType<typeof ConfigError>).problems].sort()).toEqual([
      'WEBHOOK_ALLOW_PRIVATE=yes: expected one of 0, 1, true, false',
      'WEBHOOK_CONCURRENCY=0: expected a whole number from 1 to 1000',
      'WEBHOOK_LEASE_SECONDS=15: must exceed WEBHOOK_TIMEOUT_MS (20000 ms) by at least 1 s',
    ]);
  });
});
