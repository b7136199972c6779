// The assignment's SQL (assign-chat.ts, issue 17): what assignChat decides from, read at once,
// and everything an assignment changes, written at once.
//
// PostgreSQL: two statements, each a round trip. The write is one statement whose UPDATE finds
// the chat only if its row is still the version read (`xmin`, which every update of the row
// changes) and whose other parts (history row, outbox event, routing jobs) write only from the
// row it updated. In a single-statement write (setAssignee) each statement is its own
// transaction and the read takes no lock: of two assignments of one chat read at once, the
// second waits for the first's row lock, then finds a newer version and changes nothing, and is
// run again in a transaction (StaleRead, db/postgres.ts). Inside a transaction the read locks
// the chat row (FOR UPDATE), so the write always finds the version it read. Either way the chat
// row is locked before the event takes its outbox position, as every writer of a chat's events
// does (webhook per-chat order, fan-out.ts).
// SQLite: the same reads and writes as separate statements; write() runs them in its one
// exclusive transaction, so nothing can come between the read and the write.
import { sql, type Compilable, type CompiledQuery } from 'kysely';
import type { Executor, Trx } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { prepared } from '../db/prepared.ts';
import { appendEvent, eventWritten, type NewEvent } from '../events/outbox.ts';
import { interestNeedle, wantedBy } from '../events/webhook-interest.ts';
import { newEventId } from '../lib/crypto.ts';
import { findAgent, type AgentRefRow } from '../modules/agents/agents.repository.ts';
import { chatAgents, chatViewSelect, findChatView, writeAssignee, type ChatView } from '../modules/chats/chats.repository.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';
import { appendAssignment, traceText } from './history.repository.ts';
import { announceJobs, jobKey } from './routing/jobs.repository.ts';
import { DEFAULT_POLICY, type RoutingPolicy } from './routing/policy.ts';
import { effectivePolicy, ORGANIZATION_POLICY, policyFromRow } from './routing/policy.repository.ts';
import { applyAssigneeRouting, type AssigneeRouting } from './routing/triggers.ts';

export interface AssignmentFacts {
  /** the chat as read, with everything its presenter needs but `agents` */
  view: ChatView;
  agents: AgentRefRow[];
  /** the agent asked for as the new assignee, when one was and the organization has it */
  agent: (AgentRefRow & { active: number }) | undefined;
  /** the routing policy that governs the chat */
  policy: RoutingPolicy;
  /** PostgreSQL: the version of the chat row read (its xmin), which the write compares; null on SQLite */
  version: string | null;
}

const thunk = <R>(db: Executor, query: { compile(db: Executor): CompiledQuery<R> }): Compilable<R> => ({ compile: () => query.compile(db) });

// The chat view, its agents (first writer first, as chatAgents), the agent asked for and the
// effective policy (the department's own, else the organization's: effectivePolicy) in one row.
const facts = (db: Executor, orgId: number, chatId: number, agentId: number | null) =>
  chatViewSelect(db)
    .leftJoin('agents as n', (join) => join.on('n.organization_id', '=', orgId).on('n.id', '=', agentId))
    .select(['n.id as agent_id', 'n.name as agent_name', 'n.email as agent_email', 'n.role as agent_role', 'n.active as agent_active'])
    .select([
      sql<string>`c.xmin::text`.as('version'),
      sql<Array<[number, string, string, AgentRefRow['role']]>>`(select coalesce(json_agg(json_build_array(pa.id, pa.name, pa.email, pa.role) order by pc.created_at, pa.id), '[]')
        from chat_agents pc join agents pa on pa.id = pc.agent_id where pc.organization_id = c.organization_id and pc.chat_id = c.id)`.as('agents'),
      sql<PolicyColumns | null>`(select json_build_object('strategy', p.strategy, 'capacity', p.capacity, 'online_only', p.online_only, 'sticky', p.sticky,
          'reassign_after_minutes', p.reassign_after_minutes, 'offline_grace_minutes', p.offline_grace_minutes)
        from routing_policies p where p.organization_id = c.organization_id and p.department_id in (coalesce(c.department_id, ${ORGANIZATION_POLICY}), ${ORGANIZATION_POLICY})
        order by p.department_id = ${ORGANIZATION_POLICY} limit 1)`.as('policy'),
    ])
    .where(sql<number>`+${sql.ref('c.organization_id')}`, '=', orgId)
    .where('c.id', '=', chatId);
const factsQuery = prepared(facts);
const lockedFactsQuery = prepared((db, orgId: number, chatId: number, agentId: number | null) => facts(db, orgId, chatId, agentId).forUpdate('c'));

type PolicyColumns = Parameters<typeof policyFromRow>[0];

/**
 * Everything assignChat decides from; undefined when the organization has no such chat. `lock`:
 * PostgreSQL holds the chat row until the transaction ends (SQLite's writes are serial already).
 */
export async function assignmentFacts(db: Executor, orgId: number, chatId: number, agentId: number | null, lock: boolean): Promise<AssignmentFacts | undefined> {
  if (!isPostgres(db)) {
    const view = await findChatView(db, orgId, chatId);
    if (!view) return undefined;
    return {
      view,
      agents: await chatAgents(db, orgId, chatId),
      agent: agentId === null ? undefined : await findAgent(db, orgId, agentId),
      policy: await effectivePolicy(db, orgId, view.department_id),
      version: null,
    };
  }
  const row = (await (lock ? lockedFactsQuery : factsQuery)(db, orgId, chatId, agentId)).rows[0];
  if (!row) return undefined;
  const { agent_id, agent_name, agent_email, agent_role, agent_active, version, agents, policy, ...view } = row;
  return {
    view,
    agents: agents.map(([id, name, email, role]) => ({ id, name, email, role })),
    agent: agent_id === null ? undefined : { id: agent_id, name: agent_name!, email: agent_email!, role: agent_role!, active: agent_active! },
    policy: policy ? policyFromRow(policy) : { ...DEFAULT_POLICY },
    version,
  };
}

export interface AssignmentWrite {
  orgId: number;
  chatId: number;
  /** what assignmentFacts read: the chat row's version (PostgreSQL) */
  version: string | null;
  from: number | null;
  to: number | null;
  at: number;
  by: AssignedBy;
  source: AssignmentSource;
  reason: string | null;
  trace: unknown;
  /** the `chat.assigned` event, its eventData already serialised (eventJson) */
  event: NewEvent & { eventJson: string };
  routing: AssigneeRouting;
}

/**
 * Writes an assignment: the chat's assignee, the history row, the `chat.assigned` event and what
 * routing does about it. False when nothing was written because the chat is no longer the
 * version read (PostgreSQL: another write of it committed in between; read it again).
 */
export async function writeAssignment(trx: Trx, w: AssignmentWrite): Promise<boolean> {
  if (!isPostgres(trx)) {
    await writeAssignee(trx, w.orgId, w.chatId, w.to, w.at);
    await appendAssignment(trx, { orgId: w.orgId, chatId: w.chatId, from: w.from, to: w.to, by: w.by, source: w.source, reason: w.reason, trace: w.trace, createdAt: w.at });
    await appendEvent(trx, w.event);
    await applyAssigneeRouting(trx, w.at, { orgId: w.orgId, chatId: w.chatId }, w.routing);
    return true;
  }
  const { routing, event } = w;
  const timer = routing.timer === 'keep' || routing.timer === 'stop' ? null : routing.timer.start;
  const eventId = newEventId();
  const { rows } = await assignmentStatement(
    trx, w.orgId, w.chatId, w.version!, w.from, w.to, w.at, routing.queue,
    w.by.type, w.by.id, w.by.name, w.source, w.reason, traceText(w.trace),
    eventId, event.eventJson, interestNeedle(event.event),
    routing.drain, jobKey({ orgId: w.orgId, kind: 'drain' }),
    routing.timer === 'keep' ? 'keep' : timer ? 'start' : 'stop', jobKey({ orgId: w.orgId, kind: 'no_reply', chatId: w.chatId }), timer?.agentId ?? null, timer?.dueAt ?? null,
  );
  const result = rows[0];
  if (result.changed === 0) return false;
  eventWritten(trx, event, eventId, result.position!, result.webhook_pending === 1);
  if (result.jobs > 0) announceJobs(trx);
  return true;
}

// PostgreSQL: the whole write in one statement (see the top of this file). Each part repeats
// the statement it stands for on SQLite, where writeAssignment runs those one by one: the chat
// (writeAssignee, setQueued), the history row (appendAssignment), the event with its webhook
// state (appendEvent), the drain (scheduleDrain: "if_waiting" probes the queue as the chat is
// after this change) and the no-reply timer (scheduleJob, cancelJob). Parameters in a SELECT
// list have no column to take their type from: they are cast.
const assignmentStatement = prepared(
  (
    db, orgId: number, chatId: number, version: string, from: number | null, to: number | null, at: number, queue: string,
    byType: string, byId: number | null, byName: string, source: string, reason: string | null, trace: string | null,
    eventId: string, eventJson: string, needle: string,
    drain: string, drainKey: string, timer: string, timerKey: string, timerAgent: number | null, timerDue: number | null,
  ) =>
    thunk(db, sql<{ changed: number; position: number | null; webhook_pending: number | null; jobs: number }>`
      with chat as (
        update chats set assignee_id = ${to}, updated_at = ${at},
          queued_at = case cast(${queue} as text) when 'leave' then null when 'join' then coalesce(queued_at, cast(${at} as bigint)) else queued_at end
        where organization_id = ${orgId} and id = ${chatId} and xmin = cast(${version} as xid)
        returning id, queued_at
      ), history as (
        insert into assignments (organization_id, chat_id, from_agent_id, to_agent_id, assigned_by_type, assigned_by_id, assigned_by_name, source, reason, trace, created_at)
        select cast(${orgId} as integer), chat.id, cast(${from} as integer), cast(${to} as integer), cast(${byType} as text), cast(${byId} as integer),
          cast(${byName} as text), cast(${source} as text), cast(${reason} as text), cast(${trace} as text), cast(${at} as bigint)
        from chat
      ), event as (
        insert into outbox (organization_id, event_id, event, chat_id, event_data, created_at, webhook_pending, webhook_generation)
        select o.id, cast(${eventId} as text), 'chat.assigned', chat.id, cast(${eventJson} as text), cast(${at} as bigint), ${wantedBy(db, needle)}, o.webhook_generation
        from organizations o, chat where o.id = ${orgId}
        for key share of o
        returning id, webhook_pending
      ), drain as (
        insert into routing_jobs (organization_id, job_key, kind, chat_id, agent_id, due_at, created_at)
        select cast(${orgId} as integer), cast(${drainKey} as text), 'drain', null, null, cast(${at} as bigint), cast(${at} as bigint)
        from chat
        where cast(${drain} as text) = 'always' or (cast(${drain} as text) = 'if_waiting' and (chat.queued_at is not null
          or exists (select 1 from chats w where w.organization_id = ${orgId} and w.queued_at is not null and w.id <> chat.id)))
        on conflict (job_key) do update set due_at = case when routing_jobs.due_at < excluded.due_at then routing_jobs.due_at else excluded.due_at end
        returning id
      ), timer as (
        insert into routing_jobs (organization_id, job_key, kind, chat_id, agent_id, due_at, created_at)
        select cast(${orgId} as integer), cast(${timerKey} as text), 'no_reply', chat.id, cast(${timerAgent} as integer), cast(${timerDue} as bigint), cast(${at} as bigint)
        from chat
        where cast(${timer} as text) = 'start'
        on conflict (job_key) do update set due_at = excluded.due_at, created_at = excluded.created_at
        returning id
      ), timer_stopped as (
        delete from routing_jobs where job_key = ${timerKey} and organization_id = ${orgId} and cast(${timer} as text) = 'stop' and exists (select 1 from chat)
      )
      select (select count(*) from chat)::int as changed, (select id from event) as position, (select webhook_pending from event) as webhook_pending,
        ((select count(*) from drain) + (select count(*) from timer))::int as jobs`),
);
