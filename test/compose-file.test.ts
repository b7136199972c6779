// compose.yaml (Docker is not on the CI machine, so it is read, not run): Handoff is built from
// this repository's Dockerfile, its DATABASE_URL and REDIS_URL name services of the file, and it
// starts only once each of them reports healthy; PostgreSQL's data lives in a declared volume.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/process.ts';

interface Service {
  build?: string | { context: string };
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const handoff = compose.services.handoff;

it('Handoff is built from the repository (its Dockerfile)', () => {
  expect(handoff).toBeDefined();
  const context = typeof handoff.build === 'string' ? handoff.build : handoff.build?.context;
  expect(context).toBe('.');
});

it.each([
  ['DATABASE_URL', /^postgres(ql)?:\/\/[^@/]+@([\w-]+):\d+\/\w+$/, 'pg_isready'],
  ['REDIS_URL', /^redis:\/\/([\w-]+):\d+$/, 'redis-cli'],
])('%s names a service of the file, which has a health check Handoff waits for', (variable, shape, probe) => {
  const url = handoff.environment?.[variable] ?? '';
  const host = url.match(shape)?.[variable === 'DATABASE_URL' ? 2 : 1];
  expect(host, `${variable}=${url}`).toBeDefined();
  const service = compose.services[host!];
  expect(service, `service ${host}`).toBeDefined();
  expect(service.healthcheck?.test.join(' ')).toContain(probe);
  expect(handoff.depends_on?.[host!]).toEqual({ condition: 'service_healthy' });
});

it("PostgreSQL's data is in a declared volume", () => {
  const host = handoff.environment!.DATABASE_URL.match(/@([\w-]+):/)![1];
  const mounts = compose.services[host].volumes ?? [];
  const data = mounts.find((m) => m.endsWith(':/var/lib/postgresql/data'));
  expect(data).toBeDefined();
  expect(Object.keys(compose.volumes ?? {})).toContain(data!.split(':')[0]);
});
