// U+0000 in request text (issue 15). PostgreSQL's text and jsonb cannot hold it (a 500 there)
// while SQLite stored it, so both databases now refuse it alike, before any use case runs: a
// 400 naming the field, in the body or the query string. JSON can carry NUL only as the escape
// `\u0000`, so a body without that text skips the walk.
import type { FastifyInstance } from 'fastify';
import { Invalid } from '../errors.ts';

export const NUL_REASON = 'This value should not contain the NUL character (U+0000).';

/** The path (`text`, `tags[0].name`, `data.key`, `[2].customer`) of the first string or key holding U+0000, or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path || 'body' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\0')) return at.replaceAll('\0', '\\u0000');
    const found = nulPath(v, at);
    if (found) return found;
  }
  return null;
}

/** Throws the 400 when a parsed body (from `text`) holds U+0000 anywhere. */
export function refuseNulInBody(text: string, value: unknown): void {
  if (!text.includes('\\u0000')) return;
  const path = nulPath(value);
  if (path) throw Invalid.field(path, NUL_REASON);
}

/** After the body is parsed (API.md §5's order: auth, rate limit, body, then fields), the query string. */
export function refuseNulInQuery(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    if (!req.url.includes('%00')) return done();
    const path = nulPath(req.query);
    done(path ? Invalid.field(path, NUL_REASON) : undefined);
  });
}
