// What each routing job does when it falls due, inside the transaction that claimed it
// (jobs.repository.ts): drain a queue, the no-reply timer, the offline-grace timer.
import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.ts';
import { Conflict } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { addTriedAgent, findRoutedChat, type RoutedChat } from './facts.repository.ts';
import { scheduleDrain, scheduleJob, type RoutingJob } from './jobs.repository.ts';
import { effectivePolicy } from './policy.repository.ts';
import { carryOut, decideFor, newSession } from './router.ts';

/** decisions per drain transaction: keeps each write short; the rest follows in the next job */
export const DRAIN_BATCH = 100;

/** Runs a claimed job; its organization's routing lock is held already (claimDueJob). */
export async function runJob(trx: Trx, clock: Clock, job: RoutingJob): Promise<void> {
  if (job.kind === 'drain') return drainQueue(trx, clock, job.organization_id);
  if (job.kind === 'no_reply') return noReply(trx, clock, job);
  if (job.kind === 'offline_grace') return offlineGrace(trx, clock, job);
}

/**
 * Waiting chats are taken oldest first. When one cannot be placed, the rest of its department
 * cannot either (same agents, same seats) and is skipped — unless it was refused only by the
 * no-reply rule, which is about that chat alone.
 */
async function drainQueue(trx: Trx, clock: Clock, orgId: number): Promise<void> {
  const session = newSession(orgId);
  const fullDepartments: number[] = [];
  const passedChats: number[] = [];
  for (let i = 0; i < DRAIN_BATCH; i++) {
    const chat = await oldestWaiting(trx, orgId, fullDepartments, passedChats);
    if (!chat) return;
    const routed = await decideFor(trx, session, chat);
    let assigned: boolean;
    try {
      assigned = await carryOut(trx, clock, session, routed);
    } catch (err) {
      // A person assigned the chat after it was read (assignChat's compare-and-set, before any
      // write): theirs stands; the drain goes on with the others.
      if (!(err instanceof Conflict)) throw err;
      passedChats.push(chat.id);
      continue;
    }
    if (assigned) continue;
    if (routed.decision.trace.candidates.some((c) => c.excluded === 'no_reply')) passedChats.push(chat.id);
    else fullDepartments.push(chat.department_id ?? 0);
  }
  await scheduleDrain(trx, orgId, clock.now()); // a full batch: more may be waiting
}

function oldestWaiting(db: Executor, orgId: number, fullDepartments: number[], passedChats: number[]): Promise<RoutedChat | undefined> {
  let query = db
    .selectFrom('chats')
    .select(['id', 'customer_id', 'department_id', 'assignee_id', 'status', 'queued_at'])
    .where('organization_id', '=', orgId)
    .where('queued_at', 'is not', null);
  if (fullDepartments.length > 0) query = query.where(sql<number>`coalesce(department_id, 0)`, 'not in', fullDepartments);
  if (passedChats.length > 0) query = query.where('id', 'not in', passedChats);
  return query.orderBy('queued_at').orderBy('id').limit(1).executeTakeFirst();
}

/** The assignee had `reassignAfterMinutes` and did not reply: the next candidate gets the chat. */
async function noReply(trx: Trx, clock: Clock, job: RoutingJob): Promise<void> {
  const orgId = job.organization_id;
  const chat = await findRoutedChat(trx, orgId, job.chat_id!);
  const agentId = job.agent_id;
  // Reassigned, unassigned or closed since: the timer belonged to a state that is gone.
  if (!chat || agentId === null || chat.status === 'closed' || chat.assignee_id !== agentId) return;
  if (await agentRepliedSince(trx, orgId, chat.id, job.created_at)) return;
  const policy = await effectivePolicy(trx, orgId, chat.department_id);
  if (policy.strategy === 'manual' || policy.reassignAfterMinutes === null) return; // the policy changed since
  await addTriedAgent(trx, orgId, chat.id, agentId, clock.now());
  const session = newSession(orgId);
  const routed = await decideFor(trx, session, chat);
  const name = nameOf(routed, agentId);
  const because = `No reply: ${name} did not answer within ${minutes(policy.reassignAfterMinutes)}.`;
  await carryOut(trx, clock, session, routed, { because, releaseIfNobody: true });
}

/**
 * The agent went offline (or was deactivated) `offlineGraceMinutes` ago and is still gone: their
 * open chats still waiting for an answer go to others, each under its own policy's grace.
 */
async function offlineGrace(trx: Trx, clock: Clock, job: RoutingJob): Promise<void> {
  const orgId = job.organization_id;
  const agent = await trx.selectFrom('agents').select(['name', 'active', 'status']).where('organization_id', '=', orgId).where('id', '=', job.agent_id!).executeTakeFirst();
  if (!agent || (agent.active === 1 && agent.status !== 'offline')) return; // back in time
  const now = clock.now();
  const session = newSession(orgId);
  let later: number | null = null;
  for (const chat of await unansweredChatsOf(trx, orgId, job.agent_id!)) {
    const routed = await decideFor(trx, session, chat);
    if (routed.policy.strategy === 'manual') continue; // a person's chat, under a person's policy
    const due = job.created_at + routed.policy.offlineGraceMinutes * 60;
    if (due > now) {
      later = Math.min(later ?? due, due);
      continue;
    }
    const gone = agent.active === 1 ? `went offline ${minutes(Math.round((now - job.created_at) / 60))} ago` : 'was deactivated';
    await carryOut(trx, clock, session, routed, { because: `${agent.name} ${gone}.`, releaseIfNobody: true });
  }
  if (later !== null) await scheduleJob(trx, { orgId, kind: 'offline_grace', agentId: job.agent_id!, dueAt: later, createdAt: job.created_at });
}

/**
 * An agent's open chats whose last message (private notes aside) is not an agent's: the customer
 * is waiting for an answer, or nobody has written yet.
 */
export async function unansweredChatsOf(db: Executor, orgId: number, agentId: number): Promise<RoutedChat[]> {
  return db
    .selectFrom('chats as c')
    .select(['c.id', 'c.customer_id', 'c.department_id', 'c.assignee_id', 'c.status', 'c.queued_at'])
    .where('c.organization_id', '=', orgId)
    .where('c.assignee_id', '=', agentId)
    .where('c.assignee_id', 'is not', null)
    .where('c.status', '<>', 'closed')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('messages as m')
            .select('m.id')
            .where('m.chat_id', '=', eb.ref('c.id'))
            .where('m.id', '=', eb.ref('c.last_message_id'))
            .where('m.from', '=', 'agent'),
        ),
      ),
    )
    .orderBy('c.id')
    .execute();
}

async function agentRepliedSince(db: Executor, orgId: number, chatId: number, since: number): Promise<boolean> {
  const reply = await db
    .selectFrom('messages')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('chat_id', '=', chatId)
    .where('from', '=', 'agent')
    .where('type', '=', 'message')
    .where('created_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return reply !== undefined;
}

const nameOf = (routed: { decision: { trace: { candidates: Array<{ agent: { id: number; name: string } }> } } }, agentId: number) =>
  routed.decision.trace.candidates.find((c) => c.agent.id === agentId)?.agent.name ?? `Agent ${agentId}`;

const minutes = (n: number) => `${n} ${n === 1 ? 'minute' : 'minutes'}`;

/**
 * How many of an agent's chats the grace timer would move to others now: their open, unanswered
 * chats under a policy that routes (what `handoff agent deactivate` announces).
 */
export async function chatsToRelease(db: Executor, orgId: number, agentId: number): Promise<number> {
  let n = 0;
  for (const chat of await unansweredChatsOf(db, orgId, agentId)) {
    if ((await effectivePolicy(db, orgId, chat.department_id)).strategy !== 'manual') n++;
  }
  return n;
}
