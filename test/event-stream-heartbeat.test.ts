// The SSE heartbeat (API.md §4.8): an idle stream writes a comment line every HEARTBEAT_MS so
// proxies and load balancers keep it open, and stops once the stream ends. The stream is
// driven directly with a stand-in response and fake timers: 15 s of silence is not waited for.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { EventStream, HEARTBEAT_MS, RETRY_MS, type EventStreamContext } from '../src/modules/event-stream/event-stream.ts';
import type { OutboxTail } from '../src/modules/event-stream/outbox-tail.ts';

beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
afterEach(() => vi.useRealTimers());

/** what EventStream uses of a response: write, end, its socket and the close/drain events */
function response() {
  const written: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    written,
    socket: { destroyed: false },
    writableEnded: false,
    writableLength: 0,
    writableNeedDrain: false,
    shouldKeepAlive: true,
    write(text: string) {
      written.push(text);
      return true;
    },
    end() {
      res.writableEnded = true;
    },
  });
  return res;
}

async function openStream(res: ReturnType<typeof response>) {
  const tail = { subscribe: async () => ({ horizon: 0, unsubscribe() {} }) } as unknown as OutboxTail;
  const ctx: EventStreamContext = { db: null as never, tail, stillAuthorized: async () => true, log: { error() {}, info() {} } as never };
  const stream = new EventStream(res as unknown as ServerResponse, 1, null, ctx);
  await stream.subscribe();
  await stream.start();
  return stream;
}

it('an idle stream writes ": ping" every HEARTBEAT_MS, and nothing once it has ended', async () => {
  const res = response();
  const stream = await openStream(res);
  expect(res.written).toEqual([`retry: ${RETRY_MS}\n\n`]);

  vi.advanceTimersByTime(HEARTBEAT_MS - 1);
  expect(res.written).toHaveLength(1); // not before the interval
  vi.advanceTimersByTime(1);
  expect(res.written.slice(1)).toEqual([': ping\n\n']);
  vi.advanceTimersByTime(2 * HEARTBEAT_MS);
  expect(res.written.slice(1)).toEqual([': ping\n\n', ': ping\n\n', ': ping\n\n']);

  stream.end();
  expect(vi.getTimerCount()).toBe(0); // its timers are gone, not just silenced
  vi.advanceTimersByTime(5 * HEARTBEAT_MS);
  expect(res.written.slice(1)).toHaveLength(3);
});

it('a client that goes away stops the heartbeat', async () => {
  const res = response();
  await openStream(res);
  res.emit('close');
  expect(vi.getTimerCount()).toBe(0);
  vi.advanceTimersByTime(3 * HEARTBEAT_MS);
  expect(res.written).toEqual([`retry: ${RETRY_MS}\n\n`]);
  expect(HEARTBEAT_MS).toBeLessThanOrEqual(30_000); // under the usual 60 s idle timeout of proxies
});
