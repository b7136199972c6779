// GET /openapi.json: a valid OpenAPI 3.1 document (a validator library, not our own reading of
// the spec) that describes every route the app registers, served without a key; GET /docs renders
// it from local files under a strict CSP. The answers themselves: openapi-contract.test.ts.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../src/events/names.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { routesOf } from './helpers/registered-routes.ts';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await buildTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.close());

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** `METHOD /path` of every operation in the document, in Fastify's `:id` form */
const documented = (d: any) =>
  Object.entries(d.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );

/** static files, not API: the inbox's page and its assets (`/assets/*`), Swagger UI's files */
const STATIC = new Set(['GET /', 'GET /index.html', 'GET /docs/:file']);
const isStatic = (r: string) => STATIC.has(r) || r.endsWith('*'); // /assets/*

describe('GET /openapi.json', () => {
  it('answers without a key, outside the rate limit, as JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the app registers, and nothing it does not (issue 16 item 5)', () => {
    const registered = routesOf(t.app).filter((r) => !isStatic(r));
    expect(registered.length).toBeGreaterThan(50);
    expect([...new Set(documented(doc))].sort()).toEqual([...new Set(registered)].sort());
  });

  it('fails on a route the document lacks (the check above can fail)', () => {
    const lacking = structuredClone(doc);
    delete lacking.paths['/v1/chats/assignee'];
    expect(documented(lacking)).not.toContain('PUT /v1/chats/assignee');
    expect(routesOf(t.app)).toContain('PUT /v1/chats/assignee');
  });

  it('every $ref resolves', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(100);
    for (const r of new Set(refs)) {
      const pointer = r.slice(8, -1).replace(/^#\//, '').split('/');
      let node = doc;
      for (const part of pointer) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      expect(node, r).toBeDefined();
    }
  });

  it('marks the extensions: operations and fields API.md marks [ext]', () => {
    const ext = (method: string, path: string) => doc.paths[path][method]['x-handoff-extension'];
    expect(ext('get', '/v1/chats/{id}/assignments')).toBe(true);
    expect(ext('post', '/v1/webhooks')).toBe(true);
    expect(ext('put', '/v1/chats/assignee')).toBeUndefined();
    const body = doc.paths['/v1/chats/assignee'].put.requestBody.content['application/json'].schema;
    expect(body.properties.expectedAssignee['x-handoff-extension']).toBe(true);
    expect(body.properties.assignee['x-handoff-extension']).toBeUndefined();
    const agent = doc.components.schemas.Agent.properties;
    expect(agent.status['x-handoff-extension']).toBe(true);
    expect(agent.email['x-handoff-extension']).toBeUndefined();
  });

  it('has a webhook per event name, with the signature header', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENTS].sort());
    const assigned = doc.webhooks['chat.assigned'].post;
    expect(assigned.parameters.map((p: any) => p.name)).toContain('X-HelpCrunch-Signature');
    const envelope = assigned.requestBody.content['application/json'].schema;
    expect(Object.keys(envelope.properties)).toEqual(['id', 'event', 'eventData', 'attempts', 'lastAttemptAt', 'createdAt']);
    expect(envelope.properties.eventData.properties.previousAssignee['x-handoff-extension']).toBe(true);
  });

  it('describes the event stream as text/event-stream', () => {
    const stream = doc.paths['/v1/events/stream'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
    expect(stream.parameters.map((p: any) => p.name)).toContain('Last-Event-ID');
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from local files under a strict CSP (no CDN, no inline script)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/); // every script has a src
    for (const src of [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])) {
      const asset = await t.app.inject({ method: 'GET', url: src });
      expect(asset.statusCode, src).toBe(200);
      expect(asset.body.length, src).toBeGreaterThan(10);
    }
    expect((await t.app.inject({ method: 'GET', url: '/docs/init.js' })).body).toContain("'/openapi.json'");
  });

  it('serves nothing else of the package: no other file, no path outside it', async () => {
    for (const url of ['/docs/index.html', '/docs/package.json', '/docs/..%2F..%2Fpackage.json', '/docs/constructor', '/docs/__proto__']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
