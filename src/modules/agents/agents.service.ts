import { chatsToRelease } from '../../assignment/routing/jobs.ts';
import { agentDeactivated, presenceChanged, seatsChanged } from '../../assignment/routing/triggers.ts';
import type { Database, Executor, Trx } from '../../db/database.ts';
import type { AgentRole, Presence } from '../../db/schema.ts';
import { Invalid, NotFound } from '../../errors.ts';
import { appendEvent } from '../../events/outbox.ts';
import type { Clock } from '../../lib/clock.ts';
import { REASON } from '../../input/validate.ts';
import type { Page } from '../../input/pagination.ts';
import { addDepartmentAgent, findDepartment } from '../departments/departments.repository.ts';
import { setAgentDepartments } from '../departments/departments.service.ts';
import { agentEventData, presentAgent, presentAgentWithLoad } from './agents.presenter.ts';
import * as repo from './agents.repository.ts';
import { requireOrganization } from '../organizations/require-organization.ts';

export const AGENT_ROLES: readonly AgentRole[] = ['admin', 'superviser', 'agent', 'agentChatOnly'];

export interface NewAgent {
  orgId: number;
  name: string;
  email: string;
  role: string;
  departmentId?: number;
}

export function createAgent(database: Database, clock: Clock, input: NewAgent) {
  const items = [];
  if (input.name.trim() === '') items.push({ code: 'name', message: REASON.blank });
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email)) items.push({ code: 'email', message: 'This value is not a valid email address.' });
  if (!AGENT_ROLES.includes(input.role as AgentRole)) items.push({ code: 'role', message: REASON.choice });
  if (items.length > 0) throw new Invalid(items);
  return database.write(async (trx) => {
    await requireOrganization(trx, input.orgId);
    if (input.departmentId !== undefined && !(await findDepartment(trx, input.orgId, input.departmentId))) {
      throw Invalid.field('department', `Department for ID "${input.departmentId}" was not found`);
    }
    if (await repo.findAgentByEmail(trx, input.orgId, input.email)) {
      throw Invalid.field('email', 'This value is already used.');
    }
    const id = await repo.insertAgent(trx, {
      organizationId: input.orgId,
      name: input.name.trim(),
      email: input.email,
      role: input.role as AgentRole,
      createdAt: clock.now(),
    });
    if (input.departmentId !== undefined) await addDepartmentAgent(trx, input.orgId, input.departmentId, id);
    return getAgent(trx, input.orgId, id);
  });
}

export async function getAgent(db: Executor, orgId: number, agentId: number) {
  const agent = await repo.findAgent(db, orgId, agentId);
  if (!agent) throw new NotFound('Agent', agentId);
  const departments = await repo.departmentIdsByAgent(db, orgId, [agentId]);
  return presentAgent(agent, departments.get(agentId) ?? []);
}

/**
 * Deactivated agents stay listed with `active: false` and can no longer be assigned (API.md §5).
 * Routing is told in the same transaction: their unanswered chats go to others when the offline
 * grace ends; `chatsToRelease` says how many that is now. Deactivating again changes nothing
 * (the grace timer is not restarted).
 */
export function deactivateAgent(database: Database, clock: Clock, orgId: number, agentId: number) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    const agent = await repo.findAgent(trx, orgId, agentId);
    if (!agent) throw new NotFound('Agent', agentId);
    const releasing = await chatsToRelease(trx, orgId, agentId);
    if (agent.active === 1) {
      await agentDeactivated(trx, clock.now(), orgId, agentId); // before the row: see setPresence
      await repo.setAgentActive(trx, orgId, agentId, false);
    }
    return { agent: await getAgent(trx, orgId, agentId), chatsToRelease: releasing };
  });
}

const onlyOffline = (agentId: number) => `Agent for ID "${agentId}" is deactivated; only "offline" can be set.`;

/**
 * PUT /v1/agents/{id}/status [ext]: the presence routing honours (API.md §4.7). A real change
 * tells routing and writes `agent.status_updated`, in one transaction; the same presence again
 * writes nothing. A deactivated agent can only be set offline (routing ignores their presence,
 * and online or away would read as available); routing is not told then, as their deactivation
 * already started the grace timer this would restart.
 *
 * Routing is told before the agent's row is written: a drain job holds its own job row from its
 * claim on and then writes the agents it assigns to, so on PostgreSQL scheduling the drain first
 * waits for a running drain, where holding this agent's row first could deadlock with it. Of two
 * concurrent requests for the same presence, the row's conditional write lets one through; the
 * other's scheduling repeats the same idempotent jobs, and it writes no event.
 */
export function setPresence(
  database: Database, clock: Clock, orgId: number, agentId: number, status: Presence,
  /** a condition checked in the same transaction before a real change (the inbox's last page closed: page-presence.ts) */
  opts: { onlyIf?: (trx: Trx) => Promise<boolean> } = {},
) {
  return database.write(async (trx) => {
    const agent = await repo.findAgent(trx, orgId, agentId);
    if (!agent) throw new NotFound('Agent', agentId);
    if (agent.active !== 1 && status !== 'offline') throw Invalid.field('status', onlyOffline(agentId));
    if (agent.status === status) return getAgent(trx, orgId, agentId);
    if (opts.onlyIf && !(await opts.onlyIf(trx))) return getAgent(trx, orgId, agentId);
    const now = clock.now();
    if (agent.active === 1) await presenceChanged(trx, now, orgId, agentId, status);
    if (!(await repo.setAgentPresence(trx, orgId, agentId, status))) return getAgent(trx, orgId, agentId);
    const changed = await getAgent(trx, orgId, agentId);
    // An agent's events name no chat: they carry no per-chat ordering key.
    await appendEvent(trx, { orgId, event: 'agent.status_updated', chatId: null, eventData: agentEventData(changed), createdAt: now });
    return changed;
  });
}

/** what `updateAgent` may change; an absent key keeps its value */
export interface AgentChanges {
  /** the agent's own routing capacity; null = the policy's */
  capacity?: number | null;
  /** `handoff agent update --role` (the API does not change roles) */
  role?: string;
  /** `handoff agent update --department`: exactly these departments afterwards */
  departments?: number[];
}

/**
 * PUT /v1/agents/{id} [ext] and `handoff agent update`: the agent's own routing capacity (null =
 * the policy's), and from the CLI their role and departments. An absent key or the same value
 * changes nothing. More seats (a higher capacity, a department joined) drain the queue, scheduled
 * before the row is written, as in setPresence. Deactivated agents keep the settings for when
 * they come back.
 */
export function updateAgent(database: Database, clock: Clock, orgId: number, agentId: number, input: AgentChanges) {
  if (input.role !== undefined && !AGENT_ROLES.includes(input.role as AgentRole)) throw Invalid.field('role', REASON.choice);
  return database.write(async (trx) => {
    const agent = await repo.findAgent(trx, orgId, agentId);
    if (!agent) throw new NotFound('Agent', agentId);
    if (input.departments !== undefined) await setAgentDepartments(trx, clock.now(), orgId, agentId, input.departments);
    if (input.capacity !== undefined && input.capacity !== agent.capacity) {
      await seatsChanged(trx, clock.now(), orgId);
      await repo.setAgentCapacity(trx, orgId, agentId, input.capacity);
    }
    if (input.role !== undefined && input.role !== agent.role) await repo.setAgentRole(trx, orgId, agentId, input.role as AgentRole);
    return getAgent(trx, orgId, agentId);
  });
}

/**
 * `handoff agent reactivate`: the agent may be assigned again. Routing hears of them as if they
 * had just come to the presence they have: online takes waiting chats and stops the grace timer
 * their deactivation started, away stops it; offline leaves it running (they are still gone).
 * `changed` is false for an agent who was active already.
 */
export function reactivateAgent(database: Database, clock: Clock, orgId: number, agentId: number) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    const agent = await repo.findAgent(trx, orgId, agentId);
    if (!agent) throw new NotFound('Agent', agentId);
    const changed = agent.active !== 1;
    if (changed) {
      if (agent.status !== 'offline') await presenceChanged(trx, clock.now(), orgId, agentId, agent.status); // before the row: see setPresence
      await repo.setAgentActive(trx, orgId, agentId, true);
    }
    return { agent: await getAgent(trx, orgId, agentId), changed };
  });
}

/** `handoff agent list`: every agent of the organization with their open chats */
export async function listAgentsWithLoad(db: Executor, orgId: number) {
  await requireOrganization(db, orgId);
  const rows = await repo.listAgentsWithLoad(db, orgId);
  const departments = await repo.departmentIdsByAgent(db, orgId, rows.map((r) => r.id));
  return rows.map((r) => presentAgentWithLoad(presentAgent(r, departments.get(r.id) ?? []), r.open_chats));
}

export async function listAgents(db: Executor, orgId: number, page: Page) {
  const [rows, total] = await Promise.all([repo.listAgents(db, orgId, page), repo.countAgents(db, orgId)]);
  const departments = await repo.departmentIdsByAgent(db, orgId, rows.map((r) => r.id));
  return { data: rows.map((r) => presentAgent(r, departments.get(r.id) ?? [])), total };
}

/**
 * GET /v1/agents/{id}/unsubscribe: the agent no longer gets email notifications (the
 * reference's link target; idempotent). Deactivated agents can unsubscribe too.
 */
export function unsubscribeAgent(database: Database, orgId: number, agentId: number) {
  return database.write(async (trx) => {
    if (!(await repo.setAgentEmailUnsubscribed(trx, orgId, agentId))) throw new NotFound('Agent', agentId);
  });
}
