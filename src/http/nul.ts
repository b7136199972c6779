// U+0000 in request text (issue 15). PostgreSQL's text and jsonb cannot hold it (a 500 there)
// while SQLite stored it, so both databases now refuse it alike, before any use case runs: a
// 400 naming the field, in the body or the query string. JSON can carry NUL only as the escape
// `\u0000`, so a body without that text skips the walk.
// A lone surrogate (U+D800–U+DFFF without its pair: the escape `\ud800` alone) is refused the
// same way: neither database can store it (UTF-8 has no form for it), and each replaced it
// differently (PostgreSQL one U+FFFD, SQLite three), while the answer echoed the original.
import type { FastifyInstance } from 'fastify';
import { Invalid } from '../errors.ts';

export const NUL_REASON = 'This value should not contain the NUL character (U+0000).';
export const SURROGATE_REASON = 'This value should not contain a lone surrogate (U+D800 to U+DFFF without its pair).';

/** NUL and unpaired surrogates: named in a field path as the JSON escape the client wrote (`\u0000`, `\ud800`) */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE = new RegExp(`\\0|${LONE_SURROGATE.source}`, 'g');
const hasNul = (s: string) => s.includes('\0');
const hasLoneSurrogate = (s: string) => LONE_SURROGATE.test(s);

/** The path (`text`, `tags[0].name`, `data.key`, `[2].customer`) of the first string or key failing `bad`, or null. */
function pathWhere(bad: (s: string) => boolean, value: unknown, path = ''): string | null {
  if (typeof value === 'string') return bad(value) ? path || 'body' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathWhere(bad, value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (bad(key)) return at.replace(UNSTORABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const found = pathWhere(bad, v, at);
    if (found) return found;
  }
  return null;
}

export const nulPath = (value: unknown, path = '') => pathWhere(hasNul, value, path);
export const loneSurrogatePath = (value: unknown, path = '') => pathWhere(hasLoneSurrogate, value, path);

/** JSON can carry either only as an escape: `\u0000`, `\ud800`…`\udfff` (any case) */
const MAY_HOLD_NUL = /\\u0000/;
const MAY_HOLD_SURROGATE = /\\u[dD][89abcdefABCDEF]/;

/** Throws the 400 when a parsed body (from `text`) holds U+0000 or a lone surrogate anywhere. */
export function refuseNulInBody(text: string, value: unknown): void {
  const nul = MAY_HOLD_NUL.test(text) ? nulPath(value) : null;
  if (nul) throw Invalid.field(nul, NUL_REASON);
  const surrogate = MAY_HOLD_SURROGATE.test(text) ? loneSurrogatePath(value) : null;
  if (surrogate) throw Invalid.field(surrogate, SURROGATE_REASON);
}

/** After the body is parsed (API.md §5's order: auth, rate limit, body, then fields), the query string. */
export function refuseNulInQuery(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    if (!req.url.includes('%00')) return done();
    const path = nulPath(req.query);
    done(path ? Invalid.field(path, NUL_REASON) : undefined);
  });
}
