// Routing in tests: presence and policies set as their services do, and the routing jobs run
// by hand at the test clock's time (no background worker, so every step is deterministic).
import type { Database } from '../../src/db/database.ts';
import type { Presence } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { mergePolicy, type RoutingPolicy } from '../../src/assignment/routing/policy.ts';
import { effectivePolicy, savePolicy } from '../../src/assignment/routing/policy.repository.ts';
import { runDueJobs } from '../../src/assignment/routing/routing-worker.ts';
import { presenceChanged, seatsChanged } from '../../src/assignment/routing/triggers.ts';

export function routingHelpers(database: Database, clock: Clock) {
  return {
    async presence(orgId: number, agentId: number, presence: Presence) {
      await database.write(async (trx) => {
        await trx.updateTable('agents').set({ status: presence }).where('organization_id', '=', orgId).where('id', '=', agentId).execute();
        await presenceChanged(trx, clock.now(), orgId, agentId, presence);
      });
    },
    async policy(orgId: number, departmentId: number | null, patch: Partial<RoutingPolicy>) {
      await database.write(async (trx) => {
        const stored = await effectivePolicy(trx, orgId, departmentId);
        await savePolicy(trx, orgId, departmentId, mergePolicy(stored, patch), clock.now());
        await seatsChanged(trx, clock.now(), orgId);
      });
    },
    async capacity(orgId: number, agentId: number, capacity: number | null) {
      await database.write(async (trx) => {
        await trx.updateTable('agents').set({ capacity }).where('organization_id', '=', orgId).where('id', '=', agentId).execute();
        await seatsChanged(trx, clock.now(), orgId);
      });
    },
    /** runs every routing job due now, as the worker would */
    run: () => runDueJobs(database, clock),
    jobs: () => database.db.selectFrom('routing_jobs').selectAll().orderBy('id').execute(),
    history: (chatId: number) => database.db.selectFrom('assignments').selectAll().where('chat_id', '=', chatId).orderBy('id').execute(),
    assignee: async (chatId: number) =>
      (await database.db.selectFrom('chats').select('assignee_id').where('id', '=', chatId).executeTakeFirstOrThrow()).assignee_id,
  };
}
