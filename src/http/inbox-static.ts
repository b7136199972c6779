// The operator inbox's built page (web/dist, made by scripts/build-web.mjs) at `/`, on the API's
// own port: same origin, so the session cookie and the live stream need no CORS. Outside /v1:
// no authentication, no rate limit (the page itself holds no data). Only two things are
// served: index.html, always revalidated so a new build is picked up at once, and the hashed
// files under assets/, cached for good since a changed file gets a new name. Nothing else of
// the folder is reachable: no listing, no path outside it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` puts the page (the repository's web/dist). */
export const BUILT_INBOX_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface InboxStaticOptions {
  dir: string;
}

// The page loads its own scripts and styles only and talks to its own origin only.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

// What a Vite build writes under assets/; any other extension is not ours to serve.
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// One flat name as Vite writes it (`index-B7jYcUNX.js`): no slash, no leading dot, so no `..`.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Handoff inbox</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem; line-height: 1.5">
<h1>The inbox is not built yet</h1>
<p>Run <code>npm run build:web</code> in the Handoff folder (or start the server with <code>npm start</code>, which builds it), then reload this page.</p>
<p>The API answers under <code>/v1</code> meanwhile.</p>
</body></html>
`;

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw err;
  }
}

export function inboxStaticRoutes(app: FastifyInstance, { dir }: InboxStaticOptions): void {
  const noLimit = { config: { rateLimit: false as const } };

  // Read on every request (a few hundred bytes): a rebuild while the server runs is served at once.
  const sendIndex = async (req: { headers: Record<string, unknown> }, reply: FastifyReply) => {
    const html = await readOrNull(join(dir, 'index.html'));
    if (!html) return reply.code(503).headers({ ...HTML_HEADERS, 'cache-control': 'no-store' }).send(NOT_BUILT);
    const etag = `"${createHash('sha1').update(html).digest('base64url')}"`;
    reply.headers({ ...HTML_HEADERS, etag });
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(html);
  };
  app.get('/', noLimit, sendIndex);
  app.get('/index.html', noLimit, sendIndex);

  app.get<{ Params: { '*': string } }>('/assets/*', noLimit, async (req, reply) => {
    const name = req.params['*'];
    const type = ASSET_TYPES[extname(name)];
    const file = type && ASSET_NAME.test(name) ? await readOrNull(join(dir, 'assets', name)) : null;
    if (!file) return reply.callNotFound();
    return reply
      .headers({ 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' })
      .send(file);
  });
}
