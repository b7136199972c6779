// The fuzz suite's runner (issue 15 item 2): for each route of the shared table, FUZZ_RUNS
// (default 500) generated requests through app.inject, with an API key, an admin's inbox session
// or that session without its CSRF token. Every answer must be below 500; every non-2xx must be
// the error envelope with a JSON content type; and a refused request must change nothing: the
// database's fingerprint is read after every request and compared with the one before. One app
// and one pair of organizations per file; fast-check prints the seed and the shrunk case of a
// failure (replay: FUZZ_SEED=<seed> FUZZ_PATH=<path>).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMayCall } from '../../src/http/session-routes.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { factories } from './factories.ts';
import { fingerprinter, type Fingerprint } from './fingerprint.ts';
import { bodyArbitrary, contentType, hostileQuery, hostileScalar, hostileSegment, ODD_METHODS, payloadOf, percentEncode, type BodyCase } from './fuzz-arbitraries.ts';
import { FUZZ_SAMPLES } from './fuzz-samples.ts';
import { routeWorld } from './route-world.ts';
import { patternOf, ROUTES, type Route, type World } from './routes.ts';
import { sessionFor, type TestSession } from './session.ts';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 500);

interface Case {
  auth: 'key' | 'session' | 'session without csrf';
  method: string;
  url: string;
  body: BodyCase;
  contentType: string | undefined;
  /** the event stream's `Last-Event-ID` header */
  lastEventId?: string;
}

/**
 * GET /v1/events/stream answers only a refusal (a stream that opens never ends under inject):
 * hostile positions in the header and the query, never blank or digits, which would open one.
 */
function streamCaseArbitrary(samplePath: string): fc.Arbitrary<Case> {
  const opens = (v: string | undefined) => v !== undefined && /^\s*\d*\s*$/.test(v);
  const position = fc.oneof(hostileScalar.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), fc.constantFrom('-1', '1.5', '1e3', '0x10', '2147483648', '9007199254740993', '__proto__'));
  const headerSafe = position.filter((v) => /^[\x20-\x7e]*$/.test(v));
  return fc
    .record({
      auth: fc.constantFrom('key' as const, 'session' as const),
      header: fc.option(headerSafe, { nil: undefined }),
      query: fc.option(position, { nil: undefined }),
    })
    .filter(({ header, query }) => (header !== undefined || query !== undefined) && !opens(header) && !opens(query))
    .map(({ auth, header, query }) => ({
      auth,
      method: 'GET',
      url: query === undefined ? samplePath : `${samplePath}?lastEventId=${percentEncode(query)}`,
      body: { kind: 'none' as const },
      contentType: undefined,
      lastEventId: header,
    }));
}

function caseArbitrary(route: Route, w: World, samplePath: string): fc.Arbitrary<Case> {
  if (route.stream) return streamCaseArbitrary(samplePath);
  const pattern = patternOf(route).split(' ')[1];
  const sessionOk = route.public ? false : sessionMayCall(route.method, pattern);
  const auth = route.public
    ? fc.constant('key' as const)
    : fc.oneof({ weight: sessionOk ? 3 : 6, arbitrary: fc.constant('key' as const) }, { weight: sessionOk ? 3 : 1, arbitrary: fc.constantFrom('session' as const, 'session without csrf' as const) });
  const sample = route.body?.(w);
  const fields = Object.keys((route.schema?.schema as { properties?: object } | undefined)?.properties ?? {});
  const fuller = FUZZ_SAMPLES[patternOf(route)]?.(w);
  const body =
    sample === undefined
      ? fc.oneof({ weight: 4, arbitrary: fc.constant<BodyCase>({ kind: 'none' }) }, { weight: 1, arbitrary: bodyArbitrary({}, fields) })
      : fuller === undefined
        ? bodyArbitrary(sample, fields)
        : fc.oneof(bodyArbitrary(sample, fields), bodyArbitrary(fuller, fields));
  // the path's id segment (a number in the sample) replaced; the sample's own query kept or extended
  const idSegment = /\/\d+(?=\/|$|\?)/;
  const url = fc.oneof(
    { weight: 6, arbitrary: fc.constant(samplePath) },
    { weight: idSegment.test(samplePath) ? 3 : 0, arbitrary: hostileSegment.map((s) => samplePath.replace(idSegment, `/${s}`)) },
    { weight: 3, arbitrary: hostileQuery.map((q) => `${samplePath}${samplePath.includes('?') ? '&' : '?'}${q}`) },
  );
  const method = fc.oneof({ weight: 12, arbitrary: fc.constant(route.method as string) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) });
  return fc.record({ auth, method, url, body, contentType });
}

function isEnvelope(body: unknown): boolean {
  const errors = (body as { errors?: unknown })?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || Object.keys(body as object).length !== 1) return false;
  return errors.every((e) => e && typeof e === 'object' && Object.keys(e).join() === 'code,message' && typeof e.code === 'string' && typeof e.message === 'string');
}

/** Fuzz the routes `pick` selects; each fuzz-*.test.ts takes a share so the files run in parallel. */
export function fuzzRoutes(pick: (route: Route, index: number) => boolean): void {
  let t: TestApp;
  let a: World;
  let session: TestSession;
  let admin: { id: number };
  let before: Fingerprint;
  let fingerprint: Awaited<ReturnType<typeof fingerprinter>>;

  beforeAll(async () => {
    // A session is limited per agent per minute (INBOX_RATE_LIMIT_PER_MINUTE): the fuzz sends more.
    t = await buildTestApp({ config: { inboxRateLimitPerMinute: 1_000_000_000 } });
    a = await routeWorld(t, 3);
    await routeWorld(t, 3); // another organization, whose rows the fingerprint also watches
    admin = await factories(t.database, t.clock).agent(a.org.id, { role: 'admin' });
    session = await sessionFor(t, a.org.id, admin.id);
    fingerprint = await fingerprinter(t.database);
    before = await fingerprint.read();
  });
  afterAll(async () => {
    await fingerprint?.close();
    await t?.close();
  });

  async function send(c: Case) {
    const headers: Record<string, string> = c.auth === 'key' ? { authorization: `Bearer ${a.org.apiKey}` } : { cookie: session.cookie };
    if (c.auth === 'session') headers['x-csrf-token'] = session.csrfToken;
    if (c.contentType !== undefined) headers['content-type'] = c.contentType;
    if (c.lastEventId !== undefined) headers['last-event-id'] = c.lastEventId;
    const payload = payloadOf(c.body);
    const answer = t.app.inject({ method: c.method as 'GET', url: c.url, headers, ...(payload === undefined ? {} : { payload }) });
    // an opened event stream never answers: fail the case instead of hanging the file
    let timer: NodeJS.Timeout | undefined;
    const opened = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 10 s (an event stream opened?)')), 10_000)));
    return Promise.race([answer, opened]).finally(() => clearTimeout(timer));
  }

  const routes = ROUTES.map((route, i) => [route, i] as const).filter(([route, i]) => pick(route, i));
  describe.each(routes.map(([route]) => [patternOf(route), route] as const))('fuzz %s', (_, route) => {
    it(`${FUZZ_RUNS} requests: no 5xx, every refusal in the envelope, and a refusal changes nothing`, async () => {
      const samplePath = route.path(a);
      const stats = new Map<string, number>();
      const params = { numRuns: FUZZ_RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {}) };
      await fc.assert(
        fc.asyncProperty(caseArbitrary(route, a, samplePath), async (c) => {
          t.clock.advance(1); // so a write's timestamps move the fingerprint
          const res = await send(c);
          const after = await fingerprint.read();
          const last = before;
          before = after;
          if (process.env.FUZZ_STATS) {
            const key = `${res.statusCode} ${res.statusCode >= 400 && c.method !== 'HEAD' ? (JSON.parse(res.body).errors?.[1]?.code ?? JSON.parse(res.body).errors?.[0]?.code) : ''}`;
            stats.set(key, (stats.get(key) ?? 0) + 1);
          }
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.statusCode < 300) {
            // a DELETE may have ended the fuzz's own session (a sign-out, a revoke): start another
            if (c.method === 'DELETE' && c.url.startsWith('/v1/inbox/session')) {
              session = await sessionFor(t, a.org.id, admin.id);
              before = await fingerprint.read();
            }
            return;
          }
          if (c.method !== 'HEAD') {
            expect(res.headers['content-type'], res.body.slice(0, 300)).toMatch(/^application\/json/);
            expect(isEnvelope(JSON.parse(res.body)), res.body.slice(0, 300)).toBe(true);
          }
          // a failed sign-in is recorded on purpose (sign-in limits): everything else stays
          if (route.public) after.sign_in_failures = last.sign_in_failures;
          expect(after).toEqual(last);
        }),
        params,
      );
      // FUZZ_STATS=1: what the cases reached (statuses and the first field named), to judge the generators
      if (process.env.FUZZ_STATS) console.log(patternOf(route), JSON.stringify(Object.fromEntries([...stats].sort((x, y) => y[1] - x[1]))));
    }, 600_000);
  });
}
