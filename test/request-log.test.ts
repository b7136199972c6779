// One log line per request (issue 18 item 4), as an operator reads it: at info, method, URL,
// status, milliseconds and the request id; health probes only at debug; nothing at warn; a
// credential pasted into a URL is never written down; pretty format reads as one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loggedUrl } from '../src/http/request-log.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { freshDatabase, T0, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { captureLog, LEVEL, type CapturedLog } from './helpers/log-capture.ts';

let d: TestDatabase;
let apiKey: string;
beforeAll(async () => {
  d = await freshDatabase({ inMemory: 'the log lines are the subject, not the reads' });
  apiKey = (await factories(d.database, fixedClock(T0)).org()).apiKey;
});
afterAll(async () => {
  await d.database.close();
  await d.drop();
});

/** an app logging into `captured`; the requests given are made, then the app is closed */
async function requests(captured: CapturedLog, calls: Array<{ url: string; method?: 'GET' | 'POST'; headers?: Record<string, string> }>) {
  const app = await buildApp({ config: { ...loadConfig({}), demo: false }, database: d.database, clock: fixedClock(T0), log: captured.log });
  const answers = [];
  for (const c of calls) answers.push(await app.inject({ method: c.method ?? 'GET', url: c.url, headers: c.headers }));
  await app.close();
  return answers;
}

const requestLines = (captured: CapturedLog) => captured.entries().filter((e) => e.msg === 'request');

describe('the request log', () => {
  it('one info line per request, with method, URL, status, ms and the request id; Fastify writes none of its own', async () => {
    const captured = captureLog('info');
    const auth = { authorization: `Bearer ${apiKey}` };
    const answers = await requests(captured, [
      { url: '/v1/agents', headers: { ...auth, 'x-request-id': 'trace-1' } },
      { url: '/v1/chats/999', headers: auth },
      { url: '/v1/agents' },
      { url: '/v1/nope', headers: auth },
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 401, 404]);
    const lines = requestLines(captured);
    expect(lines.map((l) => [l.level, l.method, l.url, l.status])).toEqual([
      [LEVEL.info, 'GET', '/v1/agents', 200],
      [LEVEL.info, 'GET', '/v1/chats/999', 404],
      [LEVEL.info, 'GET', '/v1/agents', 401],
      [LEVEL.info, 'GET', '/v1/nope', 404],
    ]);
    expect(lines[0].reqId).toBe('trace-1');
    lines.forEach((l, i) => {
      expect(typeof l.ms).toBe('number');
      expect(l.reqId).toBe(answers[i].headers['x-request-id']);
    });
    // Fastify's own lines are gone: no "incoming request", no "request completed"
    expect(captured.entries().filter((e) => /incoming request|request completed/.test(e.msg))).toEqual([]);
  });

  it('health probes are logged at debug, so an info log is not filled with them', async () => {
    const atInfo = captureLog('info');
    await requests(atInfo, [{ url: '/health/live' }, { url: '/health/ready' }]);
    expect(requestLines(atInfo)).toEqual([]);
    const atDebug = captureLog('debug');
    await requests(atDebug, [{ url: '/health/live' }, { url: '/health/ready' }]);
    expect(requestLines(atDebug).map((l) => [l.level, l.url, l.status])).toEqual([
      [LEVEL.debug, '/health/live', 200],
      [LEVEL.debug, '/health/ready', 200],
    ]);
  });

  it('at warn a request writes nothing', async () => {
    const captured = captureLog('warn');
    await requests(captured, [{ url: '/v1/agents', headers: { authorization: `Bearer ${apiKey}` } }, { url: '/v1/agents' }]);
    expect(captured.lines()).toEqual([]);
  });

  it('a key or token in the URL is logged as [redacted], and never appears in any line', async () => {
    const captured = captureLog('trace');
    await requests(captured, [
      { url: `/v1/agents?api_key=${apiKey}&limit=5`, headers: { authorization: `Bearer ${apiKey}` } },
      { url: `/v1/chats/${apiKey}` },
      { url: '/v1/agents?token=abc123&access_token=xyz789&offset=1' },
      { url: `/v1/agents?q=${apiKey}` },
    ]);
    expect(requestLines(captured).map((l) => l.url)).toEqual([
      '/v1/agents?api_key=[redacted]&limit=5',
      '/v1/chats/hk_[redacted]',
      '/v1/agents?token=[redacted]&access_token=[redacted]&offset=1',
      '/v1/agents?q=[redacted]',
    ]);
    for (const line of captured.lines()) {
      expect(line).not.toContain(apiKey);
      expect(line).not.toContain(apiKey.slice(3));
      expect(line).not.toMatch(/abc123|xyz789/);
    }
  });

  it('loggedUrl leaves an ordinary URL as it is', () => {
    expect(loggedUrl('/v1/chats/12')).toBe('/v1/chats/12');
    expect(loggedUrl('/v1/chats?offset=10&limit=20')).toBe('/v1/chats?offset=10&limit=20');
    expect(loggedUrl('/v1/chats?flag')).toBe('/v1/chats?flag');
    expect(loggedUrl('/v1/chats?%zz=1')).toBe('/v1/chats?%zz=1'); // undecodable names are kept as sent
  });

  it('pretty format: a request is one readable line ending with its request id', async () => {
    const captured = captureLog('info', 'pretty');
    await requests(captured, [{ url: '/v1/agents', headers: { 'x-request-id': 'pretty-1' } }]);
    await new Promise((r) => setImmediate(r));
    expect(captured.lines()).toEqual([expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/v1\/agents 401 [\d.]+ ms \[pretty-1\]$/)]);
  });
});
