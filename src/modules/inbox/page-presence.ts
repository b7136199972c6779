// Presence kept by open inbox pages (docs/inbox.md, "Presence"). Each live stream opened with
// a session is a row in inbox_pages, refreshed while the stream is open and deleted when it
// ends. When an agent's last page closes, the agent goes offline — through setPresence, the
// same use case as PUT /v1/agents/{id}/status, so the `agent.status_updated` event and the
// routing trigger follow — but only after a grace, so a reload (a new stream within it) does
// not flap. The rows live in the database, not in this instance: a page the agent has open on
// another instance counts, and pages an instance left behind when it crashed are swept by the
// others once they go stale.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { setPresence } from '../agents/agents.service.ts';
import { anyStalePage, deletePage, deleteStalePages, hasFreshPage, insertPage, touchPage } from './inbox-pages.repository.ts';

export interface PagePresenceTimings {
  /** how often an open page's row is refreshed, ms */
  refreshMs: number;
  /** how long after a page closes the agent's other pages are looked for, ms */
  graceMs: number;
  /** a row not refreshed for this long is a page that is gone (its instance died), seconds of the clock */
  staleSeconds: number;
  /** how often this instance sweeps stale rows, ms */
  sweepMs: number;
}

/** stale after three missed refreshes; swept within half of that */
export const PAGE_PRESENCE_TIMINGS: PagePresenceTimings = { refreshMs: 20_000, graceMs: 15_000, staleSeconds: 60, sweepMs: 30_000 };

export interface OpenPage {
  /**
   * The page's stream ended. On `shutdown` the row stays: the page reconnects to another
   * instance, and if it does not, the row goes stale and another instance's sweep decides.
   */
  close(reason?: 'shutdown'): void;
}

export function pagePresence(database: Database, clock: Clock, log: FastifyBaseLogger, timings: PagePresenceTimings) {
  /** grace checks waiting to run: run at once on stop(), so none is lost with this instance */
  const pending = new Map<NodeJS.Timeout, () => Promise<void>>();
  /** pages being closed: stop() waits for them, then runs their grace checks too */
  const closing = new Set<Promise<unknown>>();
  let sweeper: NodeJS.Timeout | null = null;
  const failed = (what: string) => (err: unknown) => log.error({ err }, `inbox presence: ${what} failed`);

  /** offline unless a fresh page is left; the look runs in setPresence's transaction, after its same-presence check */
  function offlineIfNoPage(orgId: number, agentId: number): Promise<void> {
    const onlyIf = async (trx: Parameters<typeof hasFreshPage>[0]) => !(await hasFreshPage(trx, orgId, agentId, clock.now() - timings.staleSeconds));
    return setPresence(database, clock, orgId, agentId, 'offline', { onlyIf }).then(() => undefined, failed('going offline'));
  }

  function afterGrace(orgId: number, agentId: number): void {
    const check = () => offlineIfNoPage(orgId, agentId);
    const timer = setTimeout(() => {
      pending.delete(timer);
      void check();
    }, timings.graceMs);
    timer.unref();
    pending.set(timer, check);
  }

  async function sweep(): Promise<void> {
    const before = clock.now() - timings.staleSeconds;
    if (!(await anyStalePage(database.db, before))) return; // the usual case: no write, no fsync
    const gone = await database.write((trx) => deleteStalePages(trx, before));
    const agents = new Map(gone.map((p) => [`${p.organization_id}:${p.agent_id}`, p]));
    for (const p of agents.values()) await offlineIfNoPage(p.organization_id, p.agent_id);
  }

  return {
    /** a stream opened with a session: its row is written now and refreshed until close() */
    open(orgId: number, agentId: number): OpenPage {
      const id = randomUUID();
      const insert = () => database.write((trx) => insertPage(trx, { id, orgId, agentId, seenAt: clock.now() }));
      // One page's writes run one after another: a refresh still running when the page closes
      // cannot write the row again after its delete.
      let writes: Promise<unknown> = insert().catch(failed('opening a page'));
      let closed = false;
      const refresh = setInterval(() => {
        writes = writes
          .then(() => closed || database.write(async (trx) => (await touchPage(trx, orgId, id, clock.now())) || insertPage(trx, { id, orgId, agentId, seenAt: clock.now() })))
          .catch(failed('refreshing a page'));
      }, timings.refreshMs);
      refresh.unref();
      return {
        close(reason) {
          if (closed) return;
          closed = true;
          clearInterval(refresh);
          if (reason === 'shutdown') return;
          const done = writes
            .then(() => database.write((trx) => deletePage(trx, orgId, id)))
            .then(() => afterGrace(orgId, agentId), failed('closing a page'))
            .finally(() => closing.delete(done));
          closing.add(done);
        },
      };
    },
    start(): void {
      sweeper ??= setInterval(() => void sweep().catch(failed('the sweep')), timings.sweepMs);
      sweeper.unref();
    },
    sweep,
    async stop(): Promise<void> {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      await Promise.all([...closing]);
      const checks = [...pending];
      pending.clear();
      for (const [timer] of checks) clearTimeout(timer);
      await Promise.all(checks.map(([, check]) => check()));
    },
  };
}
