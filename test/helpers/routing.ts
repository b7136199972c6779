// Routing in tests: presence, capacities and policies set through their services (as the API and
// the CLI do), and the routing jobs run by hand at the test clock's time (no background worker,
// so every step is deterministic).
import type { Database } from '../../src/db/database.ts';
import { client, type TestApp } from './app.ts';
import { factories } from './factories.ts';
import type { Presence } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { RoutingPolicy } from '../../src/assignment/routing/policy.ts';
import { updatePolicy } from '../../src/assignment/routing/policy.service.ts';
import { runDueJobs } from '../../src/assignment/routing/routing-worker.ts';
import { setPresence, updateAgent } from '../../src/modules/agents/agents.service.ts';

export function routingHelpers(database: Database, clock: Clock) {
  return {
    presence: (orgId: number, agentId: number, presence: Presence) => setPresence(database, clock, orgId, agentId, presence),
    policy: (orgId: number, departmentId: number | null, patch: Partial<RoutingPolicy>) => updatePolicy(database, clock, orgId, departmentId, patch),
    capacity: (orgId: number, agentId: number, capacity: number | null) => updateAgent(database, clock, orgId, agentId, { capacity }),
    /** runs every routing job due now, as the worker would */
    run: () => runDueJobs(database, clock),
    jobs: () => database.db.selectFrom('routing_jobs').selectAll().orderBy('id').execute(),
    history: (chatId: number) => database.db.selectFrom('assignments').selectAll().where('chat_id', '=', chatId).orderBy('id').execute(),
    assignee: async (chatId: number) =>
      (await database.db.selectFrom('chats').select('assignee_id').where('id', '=', chatId).executeTakeFirstOrThrow()).assignee_id,
  };
}

/**
 * A chat waiting in the queue, for tests of what frees seats: a drain is scheduled only where a
 * chat waits (routing_jobs stay empty in organizations that do not route).
 */
export async function waitingChat(database: Database, chat: { id: number }, since: number): Promise<void> {
  await database.write((trx) => trx.updateTable('chats').set({ queued_at: since }).where('id', '=', chat.id).execute());
}

/** an organization with `n` online agents under the given organization policy, and its API client */
export async function routedTeam(t: TestApp, n: number, policy: Partial<RoutingPolicy>) {
  const f = factories(t.database, t.clock);
  const r = routingHelpers(t.database, t.clock);
  const org = await f.org();
  const agents = [];
  for (let i = 0; i < n; i++) {
    const agent = await f.agent(org.id);
    await r.presence(org.id, agent.id, 'online');
    agents.push(agent);
  }
  await r.policy(org.id, null, policy);
  return { org, agents, api: client(t.app, org.apiKey) };
}
