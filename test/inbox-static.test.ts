// The inbox's page at / (src/http/inbox-static.ts): index.html revalidated with security
// headers, hashed assets cached for good, nothing else of the folder reachable, /v1 untouched,
// and a missing build answered with a page saying how to build it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../src/http/error-handler.ts';
import { inboxStaticRoutes } from '../src/http/inbox-static.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { INVALID } from './helpers/expect.ts';

describe('the built inbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(); // test/global-setup.ts built web/dist
  });
  afterAll(() => t.close());

  it('serves index.html at / with no-cache, an ETag and the security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.body).toContain('<div id="root">');
    const again = await t.app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('serves the hashed assets the page names, cached as immutable, with their types', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/' })).body;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script && style).toBeTruthy();
    const js = await t.app.inject({ method: 'GET', url: script! });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await t.app.inject({ method: 'GET', url: style! });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lists no folder and reaches nothing outside assets/', async () => {
    for (const url of ['/assets/', '/assets', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/../../package.json', '/web/dist/index.html', '/.build-hash', '/assets/.build-hash', '/assets/missing-abc.js', '/package.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/json');
    }
  });

  it('leaves /v1 as it was: unknown routes answer the JSON 404 envelope, routes still need a key', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ errors: [INVALID, { code: 'not_found', message: 'Route not found' }] });
    expect((await t.app.inject({ method: 'GET', url: '/v1/chats' })).statusCode).toBe(401);
  });
});

describe('no build yet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-no-web-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers / with a short page saying how to build the inbox', async () => {
    const app = Fastify();
    installErrorHandling(app);
    inboxStaticRoutes(app, { dir });
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build:web');
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js' })).statusCode).toBe(404);
    await app.close();
  });
});
