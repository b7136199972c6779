// What a database tells its own process after a commit: the events it committed (the live hub
// listens) and that routing work was scheduled (the routing worker wakes). One set per open
// database, so two databases in one process (tests, tools) never hear each other's commits.
// Code inside a transaction holds only the transaction, so the set is found from it: every
// Kysely handle of one database (its reads, its writer, their transactions) shares an adapter
// registered here when the database opens.
import { EventEmitter } from 'node:events';

export class DatabaseSignals {
  /** 'event' with each CommittedEvent (events/outbox.ts), in commit order */
  readonly committedEvents = new EventEmitter().setMaxListeners(0);
  /** 'scheduled' after a commit that scheduled a routing job (assignment/routing/jobs.repository.ts) */
  readonly jobsScheduled = new EventEmitter().setMaxListeners(0);
}

const byAdapter = new WeakMap<object, DatabaseSignals>();

/** any Kysely handle or transaction (handle.ts' Executor, named structurally: handle.ts imports this file) */
interface Handle {
  getExecutor(): { readonly adapter: object };
}

/** called by sqlite.ts and postgres.ts for every Kysely handle of the database they open */
export function registerSignals(db: Handle, signals: DatabaseSignals): void {
  byAdapter.set(db.getExecutor().adapter, signals);
}

export function signalsOf(db: Handle): DatabaseSignals {
  const signals = byAdapter.get(db.getExecutor().adapter);
  if (!signals) throw new Error('signalsOf(): a handle of a database that openDatabase() did not open');
  return signals;
}
