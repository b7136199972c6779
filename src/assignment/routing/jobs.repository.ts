// The routing jobs (migration 0011): work routing owes, each due at a time. A job is written in
// the transaction of the change that calls for it (a new chat, a closed chat, an agent going
// offline…) and deleted in the transaction that does it, so it is neither lost nor done twice:
// whatever instance claims it, whenever it comes back after a crash (DESIGN rule 7).
import { sql } from 'kysely';
import { afterCommit } from '../../db/after-commit.ts';
import type { Executor, Trx } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { signalsOf } from '../../db/signals.ts';
import type { RoutingJobKind } from '../../db/schema.ts';

export interface RoutingJob {
  id: number;
  organization_id: number;
  kind: RoutingJobKind;
  chat_id: number | null;
  agent_id: number | null;
  due_at: number;
  created_at: number;
}

export interface NewJob {
  orgId: number;
  kind: RoutingJobKind;
  chatId?: number;
  agentId?: number;
  dueAt: number;
  createdAt: number;
}

/**
 * One job per thing it is about: a chat's route and no-reply jobs, an agent's grace timer, an
 * organization's drain. Scheduling the same job again moves its time (a second "agent went
 * offline" restarts the grace period) instead of adding a second job.
 */
/**
 * 'scheduled' (db/signals.ts) after the commit of a transaction that scheduled a job: this
 * process's routing worker starts at once instead of at its next poll (a policy or capacity change writes no event
 * that would wake it). Other instances pick the job up by their own poll or a committed event.
 */
/** after COMMIT, tells this process's routing worker that `trx` scheduled a job (also the assignment's one statement) */
export const announceJobs = (trx: Trx) => {
  const { jobsScheduled } = signalsOf(trx);
  afterCommit(trx, () => jobsScheduled.emit('scheduled'));
};

export function jobKey(job: Pick<NewJob, 'orgId' | 'kind' | 'chatId' | 'agentId'>): string {
  if (job.kind === 'drain') return `drain:${job.orgId}`;
  if (job.kind === 'offline_grace') return `offline_grace:${job.agentId}`;
  return `${job.kind}:${job.chatId}`;
}

export async function scheduleJob(trx: Trx, job: NewJob): Promise<void> {
  await trx
    .insertInto('routing_jobs')
    .values({
      organization_id: job.orgId,
      job_key: jobKey(job),
      kind: job.kind,
      chat_id: job.chatId ?? null,
      agent_id: job.agentId ?? null,
      due_at: job.dueAt,
      created_at: job.createdAt,
    })
    .onConflict((oc) => oc.column('job_key').doUpdateSet({ due_at: job.dueAt, created_at: job.createdAt }))
    .execute();
  announceJobs(trx);
}

/**
 * Schedules the organization's drain, due now. With `ifWaiting`, only when a chat of the
 * organization waits: a seat freed where nobody waits (every organization that does not route)
 * costs one index probe, not a job.
 *
 * An existing drain is updated, never left alone ("do nothing"): the update takes its row lock
 * until this transaction commits. On PostgreSQL a drain that ran between this write and its
 * commit would not see the seat this transaction frees, and a drain left alone would then be the
 * one that already ran: the seat would wait for the next trigger. Locked, the due drain is
 * skipped by claimDueJob until this commits; already claimed (deleted), it is inserted anew.
 */
export async function scheduleDrain(trx: Trx, orgId: number, now: number, opts: { ifWaiting?: boolean } = {}): Promise<void> {
  if (opts.ifWaiting && !(await anyWaiting(trx, orgId))) return;
  await trx
    .insertInto('routing_jobs')
    .values({ organization_id: orgId, job_key: jobKey({ orgId, kind: 'drain' }), kind: 'drain', chat_id: null, agent_id: null, due_at: now, created_at: now })
    .onConflict((oc) =>
      oc.column('job_key').doUpdateSet((eb) => {
        const due = eb.ref('routing_jobs.due_at');
        return { due_at: sql<number>`case when ${due} < ${now} then ${due} else ${now} end` }; // the earlier time
      }),
    )
    .execute();
  announceJobs(trx);
}

async function anyWaiting(db: Executor, orgId: number): Promise<boolean> {
  const row = await db.selectFrom('chats').select('id').where('organization_id', '=', orgId).where('queued_at', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function cancelJob(trx: Trx, job: Pick<NewJob, 'orgId' | 'kind' | 'chatId' | 'agentId'>): Promise<void> {
  await trx.deleteFrom('routing_jobs').where('job_key', '=', jobKey(job)).where('organization_id', '=', job.orgId).execute();
}

/**
 * Takes one job due by `now` out of the table, in the caller's transaction: it is done by this
 * transaction or, if that rolls back, still there for the next claim. On PostgreSQL a job
 * another instance is doing is skipped, not waited for.
 *
 * `lock` (the organization's routing lock) is taken before the job row: a transaction holding
 * that lock may schedule a drain, which waits for a claimed drain row, so claiming first and
 * locking second could deadlock with it.
 */
export async function claimDueJob(trx: Trx, now: number, lock: (orgId: number) => Promise<void>): Promise<RoutingJob | undefined> {
  const next = await trx.selectFrom('routing_jobs').select('organization_id').where('due_at', '<=', now).orderBy('due_at').orderBy('id').limit(1).executeTakeFirst();
  if (!next) return undefined;
  await lock(next.organization_id);
  const due = trx
    .selectFrom('routing_jobs')
    .select('id')
    .where('organization_id', '=', next.organization_id)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(1);
  const pick = isPostgres(trx) ? due.forUpdate().skipLocked() : due;
  return trx
    .deleteFrom('routing_jobs')
    .where('id', '=', (eb) => eb.selectFrom(pick.as('due')).select('due.id'))
    .returning(['id', 'organization_id', 'kind', 'chat_id', 'agent_id', 'due_at', 'created_at'])
    .executeTakeFirst() as Promise<RoutingJob | undefined>;
}

/** When the next job falls due (UNIX seconds), or null when none is waiting. */
export async function nextDueAt(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('routing_jobs').select(sql<number | string>`min(due_at)`.as('due')).executeTakeFirst();
  return row?.due == null ? null : Number(row.due);
}
