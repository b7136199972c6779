// One log line per request (issue 18), written when its answer is finished: method, URL,
// status, milliseconds, and the request id (`reqId`, bound to the request's logger by Fastify).
// It replaces Fastify's own two lines per request (app.ts). Health probes, which a load
// balancer sends every few seconds, are logged at debug so they do not bury the traffic.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../logger.ts';

/**
 * Fastify's own request lines, replaced (app.ts passes it as `logController`): nothing when a
 * request arrives, one line when its answer is finished. No hook is added for it: Fastify calls
 * this where it would have written its own line.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const log = req.log as Logger;
    // An answer that could not be sent whole (the socket failed) is an error wherever it came from.
    const level = error ? 'error' : req.url.startsWith('/health/') ? 'debug' : 'info';
    // Checked first: at LOG_LEVEL=warn a request costs no line and no object.
    if (!log.isLevelEnabled(level)) return;
    const line = { method: req.method, url: loggedUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    log[level](error ? { ...line, err: error } : line, 'request');
  }
}

/** a query parameter whose value may be a credential: its value is not written down */
const SECRET_NAME = /key|token|secret|passw|auth|sig|session/i;
/** an API key's form (lib/crypto.ts), wherever it is pasted */
const API_KEY = /hk_[0-9a-z]*/gi;

/**
 * The URL as logged: a credential pasted into a path or query (by a mistaken client) is replaced
 * by `[redacted]`, so a log line never carries one. Most URLs have no query and no `hk_`: they
 * are returned as they are, with no work.
 */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (/hk_/i.test(path)) path = path.replace(API_KEY, 'hk_[redacted]');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      return SECRET_NAME.test(decoded(name)) || /hk_/i.test(pair) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
