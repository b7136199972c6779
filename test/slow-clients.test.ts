// Clients Node's HTTP parser refuses before any route runs (issue 15): answered in the error
// envelope, and slow clients cut at API.md §5's limits — headers not complete within 30 s,
// a body not complete within 60 s — not up to 30 s later (Node's default checking interval).
// The two cuts are contract limits measured on a real socket, not performance thresholds.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let port: number;
let apiKey: string;

beforeAll(async () => {
  t = await buildTestApp({ inMemory: 'one organization, read only: the HTTP layer answers' });
  apiKey = (await factories(t.database, t.clock).org()).apiKey;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

/** Sends `chunks` (the first at once, none after), and resolves with what came back and when the server closed. */
function rawExchange(first: string): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let reply = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(first));
    socket.setEncoding('utf8');
    socket.on('data', (d) => (reply += d));
    socket.on('error', () => {}); // the server destroying the socket after its answer is the point
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
    setTimeout(() => reject(new Error('the server never closed the connection')), 80_000).unref();
  });
}

const envelope = (reply: string) => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));

it('headers over the size limit: 431 in the envelope', async () => {
  const { reply } = await rawExchange(`GET /v1/chats HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(reply).toMatch(/^HTTP\/1\.1 431 /);
  expect(envelope(reply)).toEqual({ errors: [{ code: 'invalid_request', message: 'Invalid request' }, { code: 'headers', message: 'Request headers are too large.' }] });
});

it('bytes that are not HTTP: 400 in the envelope', async () => {
  const { reply } = await rawExchange('HELLO THERE\r\n\r\n');
  expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  expect(envelope(reply)).toEqual({ errors: [{ code: 'invalid_request', message: 'Invalid request' }, { code: 'request', message: 'Malformed request.' }] });
});

// Both stalls run side by side: the suite waits 60 s for them, not 90.
it('headers not complete within 30 s are cut at 30 s, a body not complete within 60 s at 60 s; each a 408 in the envelope', { timeout: 90_000 }, async () => {
  // Authenticated, so the route waits for the body instead of answering 401 at once.
  const head = `PUT /v1/chats/assignee HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
  const [headers, body] = await Promise.all([rawExchange('GET /v1/chats HTTP/1.1\r\nHost: x\r\n'), rawExchange(`${head}{"id":`)]);
  for (const { reply } of [headers, body]) {
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(envelope(reply).errors[1]).toEqual({ code: 'request', message: 'The request was not complete in time.' });
  }
  expect(headers.closedAfterMs).toBeGreaterThanOrEqual(29_500);
  expect(headers.closedAfterMs).toBeLessThan(32_500);
  expect(body.closedAfterMs).toBeGreaterThanOrEqual(59_500);
  expect(body.closedAfterMs).toBeLessThan(62_500);
});
