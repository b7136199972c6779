// Bearer API-key authentication (API.md §1). Keys are looked up by their SHA-256; answers
// are cached briefly so a hot key costs no query, and a revoked key is refused within
// KEY_CACHE_MS on every instance (API.md §5 asks for 5 s).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AssignedBy } from '../assignment/actor.ts';
import type { Executor } from '../db/database.ts';
import { Unauthorized } from '../errors.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { findActiveKeyByHash } from '../modules/api-keys/api-keys.repository.ts';

export interface Auth {
  orgId: number;
  /** the organization's own limit, or null for the server default */
  rateLimitPerMinute: number | null;
  actor: AssignedBy;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth;
  }
}

const KEY_CACHE_MS = 2_000;
const KEY_CACHE_MAX = 10_000;

// "Bearer <hk_…>" copied from the docs, with stray spaces, is tolerated (API.md §1).
const BEARER = /^\s*Bearer\s+<?\s*([^\s<>]+)\s*>?\s*$/i;

export function bearerKey(header: string | undefined): string | null {
  if (!header) return null;
  const m = BEARER.exec(header);
  return m ? m[1] : null;
}

export function createAuthenticator(db: Executor, now: () => number = Date.now) {
  const cache = new Map<string, { auth: Auth; until: number }>();

  function cached(hash: string): Auth | undefined {
    const hit = cache.get(hash);
    return hit && hit.until > now() ? hit.auth : undefined;
  }

  async function lookup(hash: string): Promise<Auth | null> {
    const row = await findActiveKeyByHash(db, hash);
    if (!row) {
      cache.delete(hash);
      return null;
    }
    const auth: Auth = {
      orgId: row.organization_id,
      rateLimitPerMinute: row.rate_limit_per_minute,
      actor: { type: 'api_key', id: row.id, name: row.name },
    };
    if (cache.size >= KEY_CACHE_MAX) cache.clear();
    cache.set(hash, { auth, until: now() + KEY_CACHE_MS });
    return auth;
  }

  /** what a request's Authorization header grants, or null */
  function authorize(request: FastifyRequest): Auth | null | Promise<Auth | null> {
    const key = bearerKey(request.headers.authorization);
    if (!key) return null;
    const hash = sha256Hex(key);
    return cached(hash) ?? lookup(hash);
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
        request.auth = auth;
        done();
      };
      const auth = authorize(request);
      if (auth instanceof Promise) auth.then(settle, (err: Error) => done(err));
      else settle(auth);
    },
  };
}
