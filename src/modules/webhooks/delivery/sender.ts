// One webhook attempt over HTTP (issue 6 items 2 and 4): POST the exact body to the address the
// guard vetted (the connection's DNS lookup is pinned to it), never follow a redirect (node:http
// does not), read at most 64 KiB of the answer, and give up after the timeout.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type Guard, type ResolvedAddress, UrlRefused } from '../guard.ts';

export const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'Handoff-Webhooks/1.0';

export interface AttemptOutcome {
  status: 'delivered' | 'failed' | 'blocked';
  responseCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface Sender {
  /** `signal` aborts the attempt (the worker stopping): it then rejects with an AbortError */
  send(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<AttemptOutcome>;
  close(): void;
}

/** connections go to the vetted address, whatever a second resolution of the name would say */
const pinnedLookup = (a: ResolvedAddress): LookupFunction =>
  ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: a.address, family: a.family }]);
    else callback(null, a.address, a.family);
  }) as unknown as LookupFunction;

function describe(code: number): string | null {
  if (code >= 200 && code < 300) return null;
  if (code >= 300 && code < 400) return `HTTP ${code}: redirects are not followed`;
  return `HTTP ${code}`;
}

export function createSender(opts: { guard: Guard; timeoutMs: number }): Sender {
  // Keep-alive: a receiver gets many events; a new TCP (and TLS) handshake for each would
  // dominate. A pooled socket was opened to a vetted address, so reusing it stays safe.
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

  async function send(rawUrl: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target;
    try {
      target = await opts.guard.vet(rawUrl);
    } catch (err) {
      if (!(err instanceof UrlRefused)) throw err;
      return { status: err.blocked ? 'blocked' : 'failed', responseCode: null, durationMs: elapsed(), error: err.message };
    }
    signal?.throwIfAborted();
    const { url, address } = target;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<AttemptOutcome>((resolve, reject) => {
      let settled = false;
      const settle = (o: Omit<AttemptOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...o, durationMs: elapsed() });
      };
      const req = client.request({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup: pinnedLookup(address),
        signal,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': USER_AGENT,
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      });
      const timer = setTimeout(() => {
        req.destroy();
        settle({ status: 'failed', responseCode: null, error: `timed out after ${opts.timeoutMs} ms` });
      }, opts.timeoutMs);
      req.on('response', (res) => {
        const code = res.statusCode ?? 0;
        const outcome = { status: code >= 200 && code < 300 ? ('delivered' as const) : ('failed' as const), responseCode: code, error: describe(code) };
        // The answer's body is not used; it is read (to keep the connection reusable) up to the cap.
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_RESPONSE_BYTES) {
            res.destroy();
            settle(outcome);
          }
        });
        res.on('end', () => settle(outcome));
        res.on('error', () => settle(outcome));
        res.on('close', () => settle(outcome));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (signal?.aborted) {
          if (!settled) (settled = true), clearTimeout(timer), reject(signal.reason);
          return;
        }
        settle({ status: 'failed', responseCode: null, error: err.code ? `${err.code}: ${err.message}` : err.message });
      });
      req.end(body);
    });
  }

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
