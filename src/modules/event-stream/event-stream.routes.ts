// [ext] GET /v1/events/stream (API.md §4.8): the organization's events as Server-Sent Events,
// resumable with Last-Event-ID. Authenticated and rate limited (one request per connection)
// by the /v1 scope's hooks like every route; everything that can fail with a status fails
// before the reply is hijacked, so those answers still come from the error handler. A stream
// opened with an inbox session is an open inbox page: it keeps the agent's presence
// (inbox/page-presence.ts), and this instance sweeps pages a crashed one left — here, with the
// streams, because every instance that serves the inbox runs this and the rows are the
// streams'; the routing worker's loop belongs to routing and to server.ts's wiring.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { Invalid, TooManyRequests } from '../../errors.ts';
import { createAuthenticator } from '../../http/auth.ts';
import { parseInteger, REASON } from '../../input/validate.ts';
import { inProcessHub } from '../../events/live-hub.ts';
import { EventStream } from './event-stream.ts';
import { OutboxTail, POLL_MS, POSTGRES_SETTLE_MS } from './outbox-tail.ts';
import { newestPosition } from './event-stream.repository.ts';
import { PAGE_PRESENCE_TIMINGS, pagePresence } from '../inbox/page-presence.ts';

/** a client refused for too many open streams may try again this soon (one may have closed) */
const STREAM_CAP_RETRY_SECONDS = 10;

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  // nginx buffers proxied responses unless told not to; a buffered stream is not live
  'x-accel-buffering': 'no',
};

export function eventStreamRoutes(app: FastifyInstance, { config, database, clock, hub, inboxPresence }: Deps): void {
  // An app wired without a hub (some tests, tools) still hears its own commits.
  const ownHub = hub ? null : inProcessHub(database);
  const tail = new OutboxTail(database.db, hub ?? ownHub!, {
    settleMs: database.dialect === 'postgres' ? POSTGRES_SETTLE_MS : 0, // why: outbox-tail.ts
    pollMs: POLL_MS,
    log: app.log,
  });
  // Its own key cache: re-checking open streams never touches the request path's.
  const reauthenticate = createAuthenticator(database, clock);
  const open = new Set<EventStream>();
  // Each open stream holds a socket and a replay cursor; one key could open thousands (issue 15).
  const openPerOrganization = new Map<number, number>();
  let closing = false;
  const pages = pagePresence(database, clock, app.log, { ...PAGE_PRESENCE_TIMINGS, ...inboxPresence });
  pages.start();

  // preClose, not onClose: Fastify's own onClose waits for every connection to end, and an
  // open stream never ends by itself. Clients reconnect (to another instance) and resume.
  app.addHook('preClose', async () => {
    closing = true;
    for (const stream of [...open]) stream.end('shutdown');
  });
  app.addHook('onClose', async () => {
    await pages.stop(); // the grace checks still waiting run now: this instance will not be there to run them
    tail.close();
    await ownHub?.close();
  });

  /** a place among the organization's open streams, taken before anything awaits (no overshoot) */
  const takePlace = (orgId: number) => {
    const taken = openPerOrganization.get(orgId) ?? 0;
    if (taken >= config.eventStreamsPerOrganization) return null;
    openPerOrganization.set(orgId, taken + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (openPerOrganization.get(orgId) ?? 1) - 1;
      if (left > 0) openPerOrganization.set(orgId, left);
      else openPerOrganization.delete(orgId);
    };
  };

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/events/stream', async (req, reply) => {
    const release = takePlace(req.auth.orgId);
    if (!release) {
      reply.header('retry-after', String(STREAM_CAP_RETRY_SECONDS));
      throw new TooManyRequests();
    }
    let stream: EventStream;
    try {
      const resumeAfter = await resumePosition(req, () => newestPosition(database.db));
      stream = new EventStream(reply.raw, req.auth.orgId, resumeAfter, {
        db: database.db,
        tail,
        log: req.log,
        stillAuthorized: () => reauthenticate.authorize(req).then((auth) => auth !== null, () => false),
      });
      await stream.subscribe();
    } catch (err) {
      release(); // refused before it opened (a bad Last-Event-ID, a database error)
      throw err;
    }
    reply.hijack();
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    reply.raw.writeHead(200, { ...headers, ...SSE_HEADERS });
    open.add(stream);
    stream.onEnd(() => {
      open.delete(stream);
      release();
    });
    const session = req.auth.session;
    if (session) {
      const page = pages.open(req.auth.orgId, session.agentId);
      stream.onEnd(() => page.close(closing ? 'shutdown' : undefined));
    }
    if (closing) stream.end('shutdown'); // shutdown began while it subscribed
    else await stream.start();
  });
}

/**
 * Where a resuming client left off: the Last-Event-ID header (what EventSource sends when it
 * reconnects, so it wins), else `?lastEventId=` for clients that cannot set headers; null for
 * none. An empty value is none (an SSE client sends its last id only when it has one).
 */
async function resumePosition(req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, newest: () => Promise<number>) {
  const header = req.headers['last-event-id'];
  const fromHeader = typeof header === 'string' && header.trim() !== '';
  const raw: unknown = fromHeader ? header : req.query.lastEventId; // an array when repeated: refused below
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return null;
  const code = fromHeader ? 'Last-Event-ID' : 'lastEventId';
  const parsed = parseInteger(raw);
  if (!parsed.ok) throw Invalid.field(code, parsed.reason);
  if (parsed.value < 0) throw Invalid.field(code, REASON.positiveOrZero);
  // A position never issued (a stream of another server, a database restored from an older
  // backup) would silently hide every event up to it; the client is told instead.
  if (parsed.value > (await newest())) throw Invalid.field(code, 'This value should not be later than the newest event.');
  return parsed.value;
}
