// Inbox sessions are rate limited per signed-in agent (docs/inbox.md), apart from the
// organization's API keys: open pages refetch on every live event, and a team's pages must
// neither exhaust the integrations' budget nor be refused because an integration used it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor } from './helpers/session.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ config: { inboxRateLimitPerMinute: 4 } });
});
afterAll(() => t.close());

it("each agent's sessions have their own window; the organization's keys keep theirs", async () => {
  const f = factories(t.database, t.clock);
  const org = await f.org({ rateLimitPerMinute: 2 });
  const ann = await f.agent(org.id);
  const bob = await f.agent(org.id);
  const api = client(t.app, org.apiKey);
  const annPage = await sessionFor(t, org.id, ann.id);
  const annOtherTab = await sessionFor(t, org.id, ann.id);
  const bobPage = await sessionFor(t, org.id, bob.id);

  expect([(await api.get('/v1/agents')).status, (await api.get('/v1/agents')).status, (await api.get('/v1/agents')).status]).toEqual([200, 200, 429]);

  const annCalls = [];
  for (let i = 0; i < 3; i++) annCalls.push((await annPage.api.get('/v1/agents')).status);
  for (let i = 0; i < 2; i++) annCalls.push((await annOtherTab.api.get('/v1/agents')).status);
  expect(annCalls).toEqual([200, 200, 200, 200, 429]); // one agent, one window across tabs

  const refused = await annPage.api.get('/v1/agents');
  expect(refused.headers['ratelimit-limit']).toBe('4');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect((await bobPage.api.get('/v1/agents')).status).toBe(200); // another agent is not affected
});
