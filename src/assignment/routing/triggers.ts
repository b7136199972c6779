// What routing is told, inside the transaction of the change that calls for it (DESIGN rule 7:
// explicit calls, no hidden hooks). Each trigger only records work — the chat joins the queue,
// a drain or a timer is scheduled in routing_jobs — so the change itself stays as fast as
// before, and the work is done after commit, once, by whichever instance claims it.
import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.ts';
import type { ChatStatus, Presence } from '../../db/schema.ts';
import { forgetTries, setQueued } from './facts.repository.ts';
import { cancelJob, scheduleDrain, scheduleJob } from './jobs.repository.ts';
import type { RoutingPolicy } from './policy.ts';
import { effectivePolicy, ORGANIZATION_POLICY, routingPolicies } from './policy.repository.ts';

export interface ChatFacts {
  orgId: number;
  chatId: number;
  departmentId: number | null;
  status: ChatStatus;
}

/**
 * A chat that has no assignee and wants one: created without an assignee, its first customer
 * message, reopened by the customer, or unassigned. It joins the queue (oldest first) when its
 * policy routes; a manual policy leaves it for a person.
 */
export async function chatWaiting(trx: Trx, now: number, chat: ChatFacts): Promise<void> {
  if (chat.status === 'closed') return;
  const policy = await effectivePolicy(trx, chat.orgId, chat.departmentId);
  if (policy.strategy === 'manual') return;
  await setQueued(trx, chat.orgId, chat.chatId, now);
  await scheduleDrain(trx, chat.orgId, now);
}

/** What routing does when a chat changes hands (assigneeRouting): assignChat writes it with the change. */
export interface AssigneeRouting {
  /** the chat's place in the queue: kept; left (it has someone now); or joined, keeping a place it already had */
  queue: 'keep' | 'leave' | 'join';
  /** the organization's drain: none; only where a chat waits (a seat was freed); or due now */
  drain: 'none' | 'if_waiting' | 'always';
  /** the chat's no-reply timer: kept, started for the new assignee (or moved), or stopped */
  timer: { start: { agentId: number; dueAt: number } } | 'keep' | 'stop';
}

/**
 * Decided by assignChat for every change of assignee (DESIGN rule 2: the one path), from the
 * chat as it was and the policy that governs it, and written in the same statement as the
 * change (PostgreSQL) or right after it (SQLite; applyAssigneeRouting). The chat leaves the
 * queue when it gets someone; the previous assignee's seat is free for the queue (a drain, if
 * a chat waits); the no-reply timer starts for the new assignee when the policy asks for one.
 * Under a manual policy (every organization that does not route) nothing but the seat: the
 * assignment PUT is the hot path. A no-reply timer left from an earlier routing policy is not
 * cancelled then: it checks the policy and the assignee when it fires, and does nothing.
 */
export function assigneeRouting(now: number, chat: { status: ChatStatus; from: number | null; to: number | null; queuedAt: number | null }, policy: RoutingPolicy): AssigneeRouting {
  const open = chat.status !== 'closed';
  const plan: AssigneeRouting = {
    queue: chat.to !== null && chat.queuedAt !== null ? 'leave' : 'keep',
    drain: chat.from !== null && open ? 'if_waiting' : 'none',
    timer: 'keep',
  };
  if (policy.strategy === 'manual') return plan;
  const timed = policy.reassignAfterMinutes !== null && chat.to !== null && open;
  plan.timer = timed ? { start: { agentId: chat.to!, dueAt: now + policy.reassignAfterMinutes! * 60 } } : 'stop';
  if (chat.to === null && open) {
    plan.queue = 'join';
    plan.drain = 'always';
  }
  return plan;
}

/**
 * assigneeRouting's writes one after another, in the caller's transaction (SQLite; PostgreSQL
 * writes them inside the assignment's one statement, assignment.repository.ts).
 */
export async function applyAssigneeRouting(trx: Trx, now: number, chat: { orgId: number; chatId: number }, plan: AssigneeRouting): Promise<void> {
  if (plan.queue !== 'keep') await setQueued(trx, chat.orgId, chat.chatId, plan.queue === 'join' ? now : null);
  if (plan.drain !== 'none') await scheduleDrain(trx, chat.orgId, now, { ifWaiting: plan.drain === 'if_waiting' });
  if (plan.timer === 'stop') await cancelJob(trx, { orgId: chat.orgId, kind: 'no_reply', chatId: chat.chatId });
  else if (plan.timer !== 'keep') {
    const { agentId, dueAt } = plan.timer.start;
    await scheduleJob(trx, { orgId: chat.orgId, kind: 'no_reply', chatId: chat.chatId, agentId, dueAt, createdAt: now });
  }
}

/**
 * A chat moved to another department, so another policy applies: an unassigned chat is queued
 * again under it (keeping its place), or leaves the queue when that policy is manual.
 */
export async function departmentChanged(trx: Trx, now: number, chat: ChatFacts & { assigneeId: number | null }): Promise<void> {
  if (chat.assigneeId !== null || chat.status === 'closed') return;
  const policy = await effectivePolicy(trx, chat.orgId, chat.departmentId);
  if (policy.strategy === 'manual') return setQueued(trx, chat.orgId, chat.chatId, null);
  await setQueued(trx, chat.orgId, chat.chatId, now);
  await scheduleDrain(trx, chat.orgId, now);
}

/**
 * A chat closed: it no longer waits, its timer stops, its assignee has a seat free, and the
 * agents who let its no-reply time pass may have it again if the customer reopens it.
 */
export async function chatClosed(trx: Trx, now: number, chat: Omit<ChatFacts, 'status'> & { assigneeId: number | null }): Promise<void> {
  await setQueued(trx, chat.orgId, chat.chatId, null);
  await forgetTries(trx, chat.orgId, chat.chatId);
  await cancelJob(trx, { orgId: chat.orgId, kind: 'no_reply', chatId: chat.chatId });
  if (chat.assigneeId !== null) await scheduleDrain(trx, chat.orgId, now, { ifWaiting: true });
}

/** Chats deleted with their customer: seats may be free (their rows and jobs are gone by cascade). */
export async function chatsDeleted(trx: Trx, now: number, orgId: number): Promise<void> {
  await scheduleDrain(trx, orgId, now, { ifWaiting: true });
}

/**
 * An agent's presence changed. Online: the queue may move now. Offline: the grace timer starts
 * (their unanswered chats move to others if they are not back in time). Away keeps their chats
 * and takes no new ones. Back online or away cancels a running grace timer.
 */
export async function presenceChanged(trx: Trx, now: number, orgId: number, agentId: number, presence: Presence): Promise<void> {
  if (presence === 'offline') return startGrace(trx, now, orgId, agentId);
  await cancelJob(trx, { orgId, kind: 'offline_grace', agentId });
  if (presence === 'online') await scheduleDrain(trx, orgId, now, { ifWaiting: true });
}

/** A deactivated agent is treated as gone for good: the grace timer starts as for offline. */
export function agentDeactivated(trx: Trx, now: number, orgId: number, agentId: number): Promise<void> {
  return startGrace(trx, now, orgId, agentId);
}

/**
 * A policy was stored for the organization (departmentId null) or a department. The chats it now
 * governs that wait for nobody — unassigned, not closed — join the queue when it routes (in the
 * order they were created) or leave it when it is manual; then the queue drains. The caller holds
 * the routing lock, so no drain is moving these chats meanwhile.
 */
export async function policyChanged(trx: Trx, now: number, orgId: number, departmentId: number | null, policy: RoutingPolicy): Promise<void> {
  const routes = policy.strategy !== 'manual';
  let governed = trx
    .updateTable('chats')
    .set({ queued_at: routes ? sql<number>`coalesce(queued_at, created_at)` : null })
    .where('organization_id', '=', orgId)
    .where('assignee_id', 'is', null)
    .where('status', '<>', 'closed');
  if (departmentId !== null) governed = governed.where('department_id', '=', departmentId);
  else {
    // the organization's policy governs chats without a department and departments without their own
    const own = trx.selectFrom('routing_policies').select('department_id').where('organization_id', '=', orgId).where('department_id', '<>', ORGANIZATION_POLICY);
    governed = governed.where((eb) => eb.or([eb('department_id', 'is', null), eb('department_id', 'not in', own)]));
  }
  await governed.execute();
  await scheduleDrain(trx, orgId, now, { ifWaiting: true });
}

/** An agent's capacity changed: more seats may be free. */
export async function seatsChanged(trx: Trx, now: number, orgId: number): Promise<void> {
  await scheduleDrain(trx, orgId, now, { ifWaiting: true });
}

async function startGrace(trx: Trx, now: number, orgId: number, agentId: number): Promise<void> {
  const minutes = await graceMinutes(trx, orgId);
  if (minutes === null) return; // no routing policy applies to any of the agent's chats
  await scheduleJob(trx, { orgId, kind: 'offline_grace', agentId, dueAt: now + minutes * 60, createdAt: now });
}

/**
 * The shortest grace among the organization's policies that route; when the timer fires it
 * checks each chat against its own policy's grace and waits again for the later ones.
 */
async function graceMinutes(db: Executor, orgId: number): Promise<number | null> {
  const policies = await routingPolicies(db, orgId);
  const routing = [...policies.values()].filter((p) => p.strategy !== 'manual');
  if (routing.length === 0) return null;
  return Math.min(...routing.map((p) => p.offlineGraceMinutes));
}
