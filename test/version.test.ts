// Every answer says which Handoff gave it (`Handoff-Version`, from package.json): an operator
// behind a load balancer, or a client's bug report, can tell which version answered — success,
// refusal, unknown route, health probe and the inbox page alike.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ inMemory: 'reads only' });
});
afterAll(() => t.close());

it('every answer carries Handoff-Version', async () => {
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
  const org = await factories(t.database, t.clock).org();
  const api = client(t.app, org.apiKey);
  const answers = [
    await api.get('/v1/agents'),
    await api.get('/v1/chats/999'),
    await client(t.app, null).get('/v1/agents'),
    await api.get('/v1/nope'),
    await api.put('/v1/chats/assignee', '{'),
    await client(t.app, null).get('/health/live'),
    await client(t.app, null).get('/'),
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 404, 400, 200, expect.any(Number)]);
  for (const a of answers) expect(a.headers['handoff-version']).toBe(version);
});
