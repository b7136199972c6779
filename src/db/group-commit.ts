// Group commit for SQLite (issue 2's benchmark): with synchronous=FULL every COMMIT is an
// fsync, which caps one-transaction-per-request writes at the disk's fsync rate. Writes that
// arrive while the event loop is busy are run together in one transaction, each inside its
// own savepoint, and all are answered after the single COMMIT succeeds. The savepoints are
// plain statements on the writer (`exec`), not Kysely queries: two per write, each costing
// more through Kysely's executor than in SQLite.
import type { Kysely, Transaction } from 'kysely';
import { discardAfterCommit, runAfterCommit } from './after-commit.ts';
import type { DB } from './schema.ts';

interface Job {
  work: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 256;

export class GroupCommitter {
  private queue: Job[] = [];
  private running: Promise<void> | null = null;

  /** `exec` runs one statement on the connection the batch's transaction holds */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly exec: (sqlText: string) => void,
  ) {}

  run<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) this.running = this.loop();
    });
  }

  /** resolves when every queued write has been committed or refused */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    // Let the requests already read off the sockets queue their writes before we start.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) await this.commitBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = null;
    }
  }

  private async commitBatch(jobs: Job[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown; trx: object } | { ok: false; error: unknown }> = [];
    let trx;
    try {
      trx = await this.db.startTransaction().execute();
      for (const job of jobs) {
        // Each job gets a handle of its own (same connection) so its after-commit hooks are its own.
        const jobTrx: Transaction<DB> = trx.withTables<Record<never, never>>();
        this.exec('savepoint job');
        try {
          const value = await job.work(jobTrx);
          this.exec('release job');
          outcomes.push({ ok: true, value, trx: jobTrx });
        } catch (error) {
          discardAfterCommit(jobTrx);
          this.exec('rollback to job');
          this.exec('release job');
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      // The batch as a whole failed (BEGIN or COMMIT): nothing of it is durable.
      if (trx && !trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute().catch(() => {});
      for (const outcome of outcomes) if (outcome.ok) discardAfterCommit(outcome.trx);
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return job.reject(outcome.error);
      runAfterCommit(outcome.trx);
      job.resolve(outcome.value);
    });
  }
}
