// A small Server-Sent Events reader, parsing the stream as the WHATWG EventSource algorithm
// does (fields per line, a blank line dispatches, `:` starts a comment), so the tests see
// exactly what a browser's EventSource would. (One shortcut: a CRLF split across two chunks
// would read as two line ends; Handoff writes LF only.)
//
// node:http with no connection pool, not fetch: after an aborted request Node 20's fetch
// (undici 6) opens a spare connection that never sends a request, and http.Server#close waits
// for such a connection until the client drops it, so every app.close() after a test that
// closed a stream would hang.
import { request } from 'node:http';

export interface SseEvent {
  /** the `id:` field ('' when the event had none) */
  id: string;
  /** the `event:` field ('message' when absent, as EventSource defaults it) */
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** the whole body of an answer that is not a stream (a 4xx), else '' */
  text: string;
  /** the events received so far, in order */
  events: SseEvent[];
  /** comment lines received so far (without the leading colon and space) */
  comments: string[];
  /** the last `retry:` value, or null */
  retry: number | null;
  /** resolves with the first `count` events once that many have arrived */
  waitForEvents(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** resolves when the server ends the stream */
  ended: Promise<void>;
  /** the client goes away */
  close(): void;
  /** stops reading (a slow client: the server's writes back up), until resume() */
  pause(): void;
  resume(): void;
}

export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    req.on('response', resolve).on('error', reject).end();
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, String(value));
  const conn: SseConnection = {
    status: res.statusCode ?? 0,
    headers: responseHeaders,
    text: '',
    events,
    comments,
    retry: null,
    ended: Promise.resolve(),
    close: () => req.destroy(),
    pause: () => res.pause(),
    resume: () => res.resume(),
    waitForEvents(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} events within ${timeoutMs} ms, got ${events.length}: ${JSON.stringify(events.map((e) => e.id))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
  res.setEncoding('utf8');
  if (conn.status !== 200 || !responseHeaders.get('content-type')?.startsWith('text/event-stream')) {
    for await (const chunk of res) conn.text += chunk;
    return conn;
  }

  let buffer = '';
  let pending = { id: '', event: '', data: [] as string[] };
  const line = (text: string) => {
    if (text === '') {
      if (pending.data.length > 0) events.push({ id: pending.id, event: pending.event || 'message', data: pending.data.join('\n') });
      pending = { id: pending.id, event: '', data: [] }; // the last event id carries over, as in EventSource
      return;
    }
    if (text.startsWith(':')) return void comments.push(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') pending.id = value;
    else if (field === 'event') pending.event = value;
    else if (field === 'data') pending.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) conn.retry = Number(value);
  };
  res.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop()!;
    lines.forEach(line);
    notify();
  });
  conn.ended = new Promise((resolve) => res.on('close', resolve)); // ended by the server, or by close()
  return conn;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** polls `check` until it holds; throws after timeoutMs */
export async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  for (const start = Date.now(); !check(); await sleep(20)) if (Date.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
}
