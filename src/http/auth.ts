// Authentication of every /v1 request: a Bearer API key (API.md §1), or — on the routes the
// inbox uses — an agent's session cookie (docs/inbox.md). Answers are cached briefly so a hot
// key or session costs no query, and a revoked one is refused within CACHE_MS plus the
// stream's re-check on every instance (API.md §5 asks for 5 s).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AssignedBy } from '../assignment/actor.ts';
import type { Database } from '../db/database.ts';
import type { AgentRole } from '../db/schema.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { findActiveKeyByHash, KEY_TOUCH_SECONDS, touchApiKey } from '../modules/api-keys/api-keys.repository.ts';
import { SESSION_COOKIE, SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS, sessionTokenHash } from '../modules/sessions/session-secrets.ts';
import { findLiveSession, touchSession } from '../modules/sessions/sessions.repository.ts';
import { cookieValue } from './cookies.ts';
import { changesState, sessionMayCall } from './session-routes.ts';

/** The signed-in agent of a request made with an inbox session. */
export interface SessionAuth {
  id: number;
  agentId: number;
  role: AgentRole;
  csrfToken: string;
}

export interface Auth {
  orgId: number;
  /** the organization's own limit, or null for the server default */
  rateLimitPerMinute: number | null;
  actor: AssignedBy;
  /** null for an API key; an API key may do everything in its organization */
  session: SessionAuth | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth;
  }
}

const CACHE_MS = 2_000;
const CACHE_MAX = 10_000;

// "Bearer <hk_…>" copied from the docs, with stray spaces, is tolerated (API.md §1).
const BEARER = /^\s*Bearer\s+<?\s*([^\s<>]+)\s*>?\s*$/i;

export function bearerKey(header: string | undefined): string | null {
  if (!header) return null;
  const m = BEARER.exec(header);
  return m ? m[1] : null;
}

/** `clock` dates sessions (as their rows are); `now` (ms) times the cache. */
export function createAuthenticator(database: Database, clock: Clock, now: () => number = Date.now) {
  // API keys are remembered by the Authorization header as sent, so a hot key costs one Map
  // lookup: no parsing, no SHA-256 (~4 µs a request). Sessions by their token's hash. Two maps:
  // a header never finds a session's entry, whatever it holds.
  const keys = new Map<string, { auth: Auth; until: number }>();
  const sessions = new Map<string, { auth: Auth; until: number }>();

  function cached(cache: Map<string, { auth: Auth; until: number }>, id: string): Auth | undefined {
    const hit = cache.get(id);
    return hit && hit.until > now() ? hit.auth : undefined;
  }

  function remember(cache: Map<string, { auth: Auth; until: number }>, id: string, auth: Auth | null): Auth | null {
    if (!auth) cache.delete(id);
    else {
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(id, { auth, until: now() + CACHE_MS });
    }
    return auth;
  }

  async function keyLookup(header: string, key: string): Promise<Auth | null> {
    const row = await findActiveKeyByHash(database.db, sha256Hex(key));
    // When the key was last used (`handoff key list`), to the minute: a lookup happens at most
    // once per CACHE_MS per key and instance, and writes only when the minute has passed.
    const seconds = clock.now();
    if (row && (row.last_used_at === null || seconds - row.last_used_at >= KEY_TOUCH_SECONDS)) {
      await database.write((trx) => touchApiKey(trx, row.organization_id, row.id, seconds));
    }
    return remember(
      keys,
      header,
      row ? { orgId: row.organization_id, rateLimitPerMinute: row.rate_limit_per_minute, actor: { type: 'api_key', id: row.id, name: row.name }, session: null } : null,
    );
  }

  async function sessionLookup(hash: string): Promise<Auth | null> {
    const seconds = clock.now();
    const row = await findLiveSession(database.db, hash, seconds);
    if (row && seconds - row.last_seen_at >= SESSION_TOUCH_SECONDS) {
      await database.write((trx) => touchSession(trx, row.organization_id, row.id, seconds, seconds + SESSION_IDLE_SECONDS));
    }
    return remember(
      sessions,
      hash,
      row ? {
        orgId: row.organization_id,
        rateLimitPerMinute: row.rate_limit_per_minute,
        actor: { type: 'agent', id: row.agent_id, name: row.agent_name },
        session: { id: row.id, agentId: row.agent_id, role: row.agent_role, csrfToken: row.csrf_token },
      } : null,
    );
  }

  /**
   * What a request's credentials grant, or null. An Authorization header makes it an API-key
   * request (the cookie is then ignored); a session counts only on the routes the inbox uses.
   */
  function authorize(request: FastifyRequest): Auth | null | Promise<Auth | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const hit = cached(keys, header);
      if (hit) return hit;
      const key = bearerKey(header);
      return key ? keyLookup(header, key) : null;
    }
    const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!token || !sessionMayCall(request.method, request.routeOptions.url)) return null;
    const hash = sessionTokenHash(token);
    return cached(sessions, hash) ?? sessionLookup(hash);
  }

  return {
    authorize: async (request: FastifyRequest) => authorize(request),
    /**
     * onRequest hook for every /v1 route; 401 never counts against a rate limit (API.md §5).
     * Callback-style so that a cached key, the usual case, costs no promise.
     */
    hook(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
      const settle = (auth: Auth | null) => {
        if (!auth) return done(new Unauthorized());
        if (auth.session && changesState(request.method) && !csrfMatches(request.headers['x-csrf-token'], auth.session.csrfToken)) {
          return done(new Forbidden('csrf', 'A change made in the inbox must carry its X-CSRF-Token header.'));
        }
        request.auth = auth;
        done();
      };
      const auth = authorize(request);
      if (auth instanceof Promise) auth.then(settle, (err: Error) => done(err));
      else settle(auth);
    },
  };
}

function csrfMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
