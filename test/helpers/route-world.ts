// The organizations the route table (routes.ts) is aimed at: a world (three agents, a chat) plus
// a department, webhook subscriptions, inbox sessions and spare customers, by organization, so a
// DELETE in one check never takes away what another check names.
import { createGuard } from '../../src/modules/webhooks/guard.ts';
import { createWebhookBody } from '../../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../../src/modules/webhooks/webhooks.service.ts';
import { startSession } from '../../src/modules/sessions/sessions.service.ts';
import type { TestApp } from './app.ts';
import { factories } from './factories.ts';

export type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

// While the table is named (describe titles), `w` is a placeholder world: every helper answers
// `:id` there, which is also how the route's pattern is read (routes.ts patternOf).

/** the world's customer */
export const customerOf = (w: World) => w.chat.customer?.id ?? ':id';
/** customers DELETE /v1/customers/{id} may remove without breaking the other checks, by organization */
const spares = new Map<number, number[]>();
export const spareCustomer = (w: World) => spares.get(w.org?.id)?.pop() ?? customerOf(w);
/** each organization's webhook subscription, and spares for DELETE /v1/webhooks/{id} */
const hooks = new Map<number, number[]>();
export const hookOf = (w: World) => hooks.get(w.org?.id)?.[0] ?? ':id';
export const spareHook = (w: World) => ((hooks.get(w.org?.id)?.length ?? 0) > 1 ? hooks.get(w.org.id)!.pop()! : hookOf(w));
/** each organization's department (the organizations the rate-limit check makes have none: any id does there) */
const departments = new Map<number, number>();
export const departmentOf = (w: World) => departments.get(w.org?.id) ?? ':id';
export const agentOf = (w: World) => w.agents?.[0].id ?? ':id';
/** each organization's inbox sessions: the first is the foreign-id target, the rest spares DELETE may revoke */
const sessions = new Map<number, number[]>();
export const sessionOf = (w: World) => sessions.get(w.org?.id)?.[0] ?? ':id';
export const spareSession = (w: World) => ((sessions.get(w.org?.id)?.length ?? 0) > 1 ? sessions.get(w.org.id)!.pop()! : sessionOf(w));

/** a world with its department, `spareCount` webhooks, sessions and spare customers */
export async function routeWorld(t: Pick<TestApp, 'database' | 'clock'>, spareCount = 12): Promise<World> {
  const f = factories(t.database, t.clock);
  const w = await f.world();
  const ids: number[] = [];
  for (let i = 0; i < spareCount; i++) ids.push((await f.customer(w.org.id)).id);
  spares.set(w.org.id, ids);
  const hookIds: number[] = [];
  for (let i = 0; i < spareCount; i++) {
    const input = createWebhookBody.parse({ url: `http://127.0.0.1:9/route-check/${i}` });
    hookIds.push((await createWebhook(t.database, t.clock, createGuard({ allowPrivate: true }), w.org.id, input)).id);
  }
  hooks.set(w.org.id, hookIds);
  departments.set(w.org.id, (await f.department(w.org.id)).id);
  const sessionIds: number[] = [];
  for (let i = 0; i < spareCount; i++) {
    sessionIds.push((await startSession(t.database, t.clock, { orgId: w.org.id, agentId: w.agents[0].id, address: '127.0.0.1', userAgent: 'route-checks' })).id);
  }
  sessions.set(w.org.id, sessionIds);
  return w;
}
