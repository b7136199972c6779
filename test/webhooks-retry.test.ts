// Retries, 410, per-chat order and the HTTP rules of a delivery (issue 6 items 2 and 4), with
// the worker's clock under the test's control: no sleeping for backoff. The receiver is on
// loopback (WEBHOOK_ALLOW_PRIVATE on for it).
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { baseRetryDelay, MAX_ATTEMPTS, retryDelay } from '../src/modules/webhooks/delivery/retry-schedule.ts';
import { client, T0, type TestApp } from './helpers/app.ts';
import type { factories } from './helpers/factories.ts';
import { webhookTestApp, type WebhookTestApp } from './helpers/webhook-app.ts';
import { answer, type Received, type Receiver, type Responder } from './helpers/webhook-receiver.ts';

let h: WebhookTestApp;
let t: TestApp;
let f: ReturnType<typeof factories>;
let receiver: Receiver;
const handlers = new Map<string, Responder>();
let worker: WebhookWorker;
const newWorker = (config?: Partial<TestApp['config']>) => h.newWorker(config);

beforeAll(async () => {
  // workers whose jitter factor is exactly 1 (random 0.5), so due times are exact
  h = await webhookTestApp({ respond: (r, res) => (handlers.get(r.url) ?? answer(200))(r, res), random: () => 0.5 });
  ({ t, f, receiver, worker } = h);
});
afterAll(() => h.close());
beforeEach(() => t.clock.set(T0));
// Each test's queue goes with its subscriptions, so a later test's clock never wakes it.
afterEach(async () => {
  await t.database.write((trx) => trx.deleteFrom('webhooks').execute());
  handlers.clear();
});

let paths = 0;
/** an organization with a subscription to chat events at a path of its own */
async function subscribed(respond: Responder) {
  const world = await f.world();
  t.clock.advance(1); // the world's own events are older than the subscription
  const path = `/hook/${++paths}`;
  handlers.set(path, respond);
  const api = client(t.app, world.org.apiKey);
  const hook = (await api.post('/v1/webhooks', { url: receiver.url(path), events: ['chat.status_updated', 'chat.assigned'] })).body;
  const got = () => receiver.received.filter((r) => r.url === path);
  const log = async () => (await api.get(`/v1/webhooks/${hook.id}/deliveries?limit=100`)).body.data as Array<Record<string, any>>;
  return { ...world, api, hook, got, log };
}
const setStatus = (w: { api: ReturnType<typeof client> }, id: number, status: string) => w.api.put('/v1/chats/status', { id, status });

describe('retry schedule', () => {
  it('pure: 30 s × 3^(n−1) capped at 6 h, jitter within ±20 %, at least 8 attempts over about a day', () => {
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    const bases = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => baseRetryDelay(i + 1));
    expect(bases).toEqual([30, 90, 270, 810, 2430, 7290, 21600, 21600, 21600]);
    const span = bases.reduce((a, b) => a + b, 0);
    expect(span / 3600).toBeGreaterThan(18);
    expect(span / 3600).toBeLessThan(30);
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      expect(retryDelay(n, () => 0)).toBe(Math.round(baseRetryDelay(n) * 0.8));
      expect(retryDelay(n, () => 0.999999)).toBe(Math.round(baseRetryDelay(n) * 1.2));
    }
    expect(retryDelay(MAX_ATTEMPTS)).toBeNull();
    expect(new Set(Array.from({ length: 50 }, () => retryDelay(4))).size).toBeGreaterThan(5); // real jitter
  });

  it('a failing receiver gets the same event 10 times at the scheduled times, the chat\'s next event only after it is given up', async () => {
    let firstId = '';
    const w = await subscribed((r, res) => {
      firstId ||= r.json.id;
      answer(r.json.id === firstId ? 500 : 200)(r, res);
    });
    await setStatus(w, w.chat.id, 'pending');
    await setStatus(w, w.chat.id, 'onhold'); // a later event of the same chat
    await worker.drain();
    const start = t.clock.now();
    const expectedAt = [start];
    for (let n = 1; n < MAX_ATTEMPTS; n++) expectedAt.push(expectedAt[n - 1] + baseRetryDelay(n));
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      t.clock.set(expectedAt[n] - 1);
      expect(await worker.drain()).toMatchObject({ attempted: 0 }); // not a second early
      t.clock.set(expectedAt[n]);
      await worker.drain();
    }
    const got = w.got();
    const first = got.filter((r) => r.json.id === firstId);
    expect(first.map((r) => Number(r.headers['webhook-timestamp']))).toEqual(expectedAt);
    expect(first.map((r) => r.json.attempts)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.map((r) => r.json.lastAttemptAt)).toEqual([null, ...expectedAt.slice(0, -1).map(String)]);
    expect(new Set(first.map((r) => r.headers['webhook-id']))).toEqual(new Set([firstId]));
    // the chat's second event waited for the whole series, then went at once
    expect(got.map((r) => r.json.id === firstId)).toEqual([...Array(10).fill(true), false]);
    expect(got[10].json.eventData.chat.status).toBe('onhold');
    const log = await w.log();
    const ofFirst = log.filter((e) => e.eventId === firstId);
    expect(ofFirst.map((e) => e.attempt)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]); // newest first
    expect(ofFirst.every((e) => e.status === 'failed' && e.responseCode === 500)).toBe(true);
    expect(ofFirst[0].error).toBe('HTTP 500; gave up after 10 attempts');
    expect(log.filter((e) => e.status === 'pending')).toEqual([]);
    t.clock.advance(86_400);
    expect(await worker.drain()).toMatchObject({ attempted: 0 });
  });
});

describe('per-chat order under retries', () => {
  it("a later event of a chat waits while an earlier one retries; other chats' events do not", async () => {
    let failuresLeft = 2;
    let firstId: string | null = null;
    const w = await subscribed((r, res) => {
      firstId ??= r.json.id;
      const fail = r.json.id === firstId && failuresLeft-- > 0;
      answer(fail ? 503 : 200)(r, res);
    });
    const other = await f.chat(w.org.id, { applicationId: w.org.applicationId });
    await setStatus(w, w.chat.id, 'pending'); // e1
    await setStatus(w, w.chat.id, 'onhold'); // e2
    await w.api.put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[0].id }); // e3
    await setStatus(w, other.id, 'pending'); // e4, another chat
    await worker.drain();
    const summary = () => w.got().map((r) => `${r.json.eventData.chat.id === w.chat.id ? 'A' : 'B'}:${r.json.event}:${r.json.eventData.chat.status}`);
    expect(summary().sort()).toEqual(['A:chat.status_updated:pending', 'B:chat.status_updated:pending']);
    t.clock.advance(30);
    await worker.drain(); // second failure
    expect(summary()).toHaveLength(3);
    t.clock.advance(90);
    await worker.drain(); // e1 succeeds, then e2 and e3 in order
    expect(summary().filter((s) => s.startsWith('A'))).toEqual([
      'A:chat.status_updated:pending', 'A:chat.status_updated:pending', 'A:chat.status_updated:pending',
      'A:chat.status_updated:onhold', 'A:chat.assigned:onhold',
    ]);
  });
});

describe('410 Gone', () => {
  it('disables the subscription; its other queued deliveries are cancelled and logged; nothing more is sent', async () => {
    const gone = await subscribed(answer(410));
    const chats = [gone.chat.id, (await f.chat(gone.org.id, { applicationId: gone.org.applicationId })).id];
    for (const id of chats) await setStatus(gone, id, 'pending');
    const serial = newWorker({ webhookConcurrency: 1 }); // the first answer decides for the rest
    await serial.drain();
    await serial.stop();
    expect(gone.got()).toHaveLength(1);
    expect((await gone.api.get(`/v1/webhooks/${gone.hook.id}`)).body.active).toBe(false);
    const log = await gone.log();
    expect(log.map((e) => [e.attempt, e.status, e.responseCode])).toEqual(expect.arrayContaining([[1, 'failed', 410], [1, 'failed', null]]));
    expect(log.find((e) => e.responseCode === 410)?.error).toBe('HTTP 410: the receiver answered 410 Gone; the subscription is disabled');
    expect(log.find((e) => e.responseCode === null)?.error).toBe('not attempted: the receiver answered 410 Gone');
    expect(log.filter((e) => e.status === 'pending')).toEqual([]);
    await setStatus(gone, chats[0], 'onhold');
    t.clock.advance(86_400);
    await worker.drain();
    expect(gone.got()).toHaveLength(1);
    expect(await gone.log()).toHaveLength(2);
  });
});

describe('what counts as delivered', () => {
  it.each([
    [200, 'delivered'], [201, 'delivered'], [204, 'delivered'], [299, 'delivered'],
    [404, 'failed'], [500, 'failed'], [429, 'failed'], [100 + 199, 'delivered'],
  ])('HTTP %i → %s', async (status, expected) => {
    const w = await subscribed(answer(status));
    await setStatus(w, w.chat.id, 'pending');
    await worker.drain();
    expect((await w.log()).find((e) => e.attempt === 1)).toMatchObject({ status: expected, responseCode: status });
  });

  it('a redirect is a failure and is not followed', async () => {
    const w = await subscribed(answer(302, '', { location: receiver.url('/redirected') }));
    await setStatus(w, w.chat.id, 'pending');
    await worker.drain();
    expect((await w.log()).find((e) => e.attempt === 1)).toMatchObject({ status: 'failed', responseCode: 302, error: 'HTTP 302: redirects are not followed' });
    expect(receiver.received.filter((r) => r.url === '/redirected')).toEqual([]);
  });

  it('no answer within the timeout → failed, after about the timeout', async () => {
    const held: ServerResponse[] = [];
    const w = await subscribed((_r, res) => void held.push(res));
    await setStatus(w, w.chat.id, 'pending');
    const quick = newWorker({ webhookTimeoutMs: 300 });
    await quick.drain();
    await quick.stop();
    for (const res of held) res.end();
    const entry = (await w.log()).find((e) => e.attempt === 1)!;
    expect(entry).toMatchObject({ status: 'failed', responseCode: null, error: 'timed out after 300 ms' });
    expect(entry.durationMs).toBeGreaterThanOrEqual(290);
    expect(entry.durationMs).toBeLessThan(2_000);
  });

  it('an endless answer is read to at most 64 KiB: delivered at once, and the receiver sees the connection cut', async () => {
    let cut = false;
    let sent = 0;
    const w = await subscribed((_r: Received, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const timer = setInterval(() => res.write(chunk, () => (sent += chunk.length)), 1); // never ends
      res.on('close', () => {
        clearInterval(timer);
        cut = true;
      });
    });
    await setStatus(w, w.chat.id, 'pending');
    await worker.drain(); // with no cap this would run into the 3 s timeout and fail
    const entry = (await w.log()).find((e) => e.attempt === 1)!;
    expect(entry).toMatchObject({ status: 'delivered', responseCode: 200, error: null });
    expect(entry.durationMs).toBeLessThan(2_000);
    await expect.poll(() => cut).toBe(true);
    expect(sent).toBeLessThan(8 * 1024 * 1024); // what kernel buffers hold, not an endless read
  });
});
