// GET /openapi.json (the document, document.ts) and GET /docs (it rendered by Swagger UI, served
// from node_modules/swagger-ui-dist: no CDN). Outside /v1: no key, no rate limit — the document
// holds no organization's data. The page's configuration is a script of its own, so the CSP
// allows no inline script.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { documentJson } from './document.ts';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** the only files /docs/* serves: Swagger UI's bundle and styles, and the page's own configuration */
const ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
  'init.js': {
    type: 'text/javascript; charset=utf-8',
    text: "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, validatorUrl: 'none', tryItOutEnabled: false });\n",
  },
};

// The page loads its own scripts and styles only and talks to its own origin only (as the inbox).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes on its elements
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Handoff API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>
`;

export function openApiRoutes(app: FastifyInstance): void {
  const noLimit = { config: { rateLimit: false as const } };

  app.get('/openapi.json', noLimit, async (_req, reply) =>
    reply.headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' }).send(documentJson()),
  );

  app.get('/docs', noLimit, async (_req, reply) =>
    reply
      .headers({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      })
      .send(PAGE),
  );

  app.get<{ Params: { file: string } }>('/docs/:file', noLimit, async (req, reply) => {
    const asset = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
    if (!asset) return reply.callNotFound();
    const body = asset.text ?? (await readFile(join(SWAGGER_UI_DIR, asset.file!)));
    return reply.headers({ 'content-type': asset.type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(body);
  });
}
