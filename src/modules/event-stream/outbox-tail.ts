// The live feed behind this instance's event streams: every committed event, released in
// position order, each position once, to the streams of the event's organization.
//
// Why not the hub alone: the hub hears events in commit order, and on PostgreSQL commit order
// is not position order (a position is taken at INSERT; the transaction that inserted first
// may commit last). A stream that has sent position 11 and then hears 10 can neither send it
// (a client resuming from 11 would never get it) nor drop it. So a missing position holds the
// later ones back until it is heard, found by reading the outbox, or has stayed missing for
// `settleMs` after a later position became visible and in a read made after that: then it
// belonged to a rolled-back transaction or a deleted organization and is passed over. SQLite
// commits one transaction at a time, so a position missing below a visible one never appears
// there: its settleMs is 0. The hub is the fast path; the outbox is the truth.
import type { Db } from '../../db/database.ts';
import type { LiveHub } from '../../events/live-hub.ts';
import type { CommittedEvent } from '../../events/outbox.ts';
import { eventsAfter, newestPosition, positionsAfter, toCommittedEvent, type OutboxRow } from './event-stream.repository.ts';

export interface TailOptions {
  /** how long a missing position is waited for once a later one is visible (0 on SQLite) */
  settleMs: number;
  /**
   * the read of the outbox when nothing rings: events of processes that do not publish to the
   * hub (the CLI), and another instance's events lost while Redis was away
   */
  pollMs: number;
  log: { warn(details: object, message: string): void };
}

/** the safety read's period (the tests prove Redis delivery by beating it) */
export const POLL_MS = 2_000;
/** PostgreSQL: longer than any transaction takes from its outbox INSERT to its COMMIT */
export const POSTGRES_SETTLE_MS = 5_000;
/** how long the hub gets to fill a gap before the outbox is read for it */
const GAP_READ_MS = 100;
const PAGE = 500;
const PAGES_PER_READ = 20;
/** positions before the newest this many are taken as settled when the tail starts */
const START_WINDOW = 1_000;

export type TailListener = (e: CommittedEvent) => void;

export interface TailSubscription {
  /** every event of the organization at or below this position is already in the outbox; later ones come to the listener */
  horizon: number;
  unsubscribe(): void;
}

/** Runs while at least one stream listens; started again by the next one. */
export class OutboxTail {
  private run: TailRun | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly hub: LiveHub,
    private readonly opts: TailOptions,
  ) {}

  async subscribe(orgId: number, listener: TailListener): Promise<TailSubscription> {
    for (;;) {
      if (this.closed) throw new Error('the outbox tail is closed');
      if (!this.run) {
        const run = new TailRun(this.db, this.hub, this.opts, () => {
          if (this.run === run) this.run = null;
        });
        this.run = run;
        run.ready.catch(() => run.stop()); // the next subscriber starts afresh
      }
      const run = this.run;
      await run.ready;
      // The last stream of this run may have left while we waited: start another.
      if (!run.stopped) return run.add(orgId, listener);
    }
  }

  close(): void {
    this.closed = true;
    this.run?.stop();
  }
}

interface Gap {
  from: number;
  to: number;
  /** when a position after it was first known to be committed */
  since: number;
}

class TailRun {
  /** every position at or below it has been released or passed over */
  private horizon = 0;
  /** committed positions above the horizon, heard on the hub or read from the outbox */
  private readonly pending = new Map<number, CommittedEvent | OutboxRow>();
  private gaps: Gap[] = [];
  private readonly listeners = new Map<number, Set<TailListener>>();
  private listenerCount = 0;
  private started = false;
  stopped = false;
  private pumping = false;
  private again = false;
  private againRead = false;
  /** when the newest successful outbox read started */
  private lastReadAt = -Infinity;
  private gapTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribeHub: () => void;
  readonly ready: Promise<void>;

  constructor(
    private readonly db: Db,
    hub: LiveHub,
    private readonly opts: TailOptions,
    private readonly onStop: () => void,
  ) {
    // Heard before the start-up scan, so nothing committed during it slips between the two.
    this.unsubscribeHub = hub.subscribe((e) => this.heard(e));
    this.ready = this.start();
  }

  add(orgId: number, listener: TailListener): TailSubscription {
    if (this.stopped) throw new Error('the outbox tail stopped');
    let set = this.listeners.get(orgId);
    if (!set) this.listeners.set(orgId, (set = new Set()));
    set.add(listener);
    this.listenerCount++;
    let subscribed = true;
    return {
      horizon: this.horizon,
      unsubscribe: () => {
        if (!subscribed) return;
        subscribed = false;
        set.delete(listener);
        if (set.size === 0) this.listeners.delete(orgId);
        if (--this.listenerCount === 0) this.stop();
      },
    };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribeHub();
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pending.clear();
    this.listeners.clear();
    this.onStop();
  }

  private async start(): Promise<void> {
    // A transaction still open now may hold a position below the newest visible one, so the
    // newest positions are not assumed settled: the horizon starts below the first missing one.
    const from = Math.max(0, (await newestPosition(this.db)) - START_WINDOW);
    let horizon = from;
    for (const p of await positionsAfter(this.db, from, START_WINDOW * 2)) {
      if (p !== horizon + 1) break;
      horizon = p;
    }
    if (this.stopped) return;
    this.horizon = horizon;
    for (const p of this.pending.keys()) if (p <= horizon) this.pending.delete(p);
    this.started = true;
    this.pollTimer = setInterval(() => this.pump(true), this.opts.pollMs).unref();
    await this.pumpLoop(true);
  }

  private heard(e: CommittedEvent): void {
    if (this.stopped || e.position <= this.horizon || this.pending.has(e.position)) return;
    this.pending.set(e.position, e);
    if (this.started) this.pump(false);
  }

  private pump(read: boolean): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      this.againRead ||= read;
      return;
    }
    void this.pumpLoop(read);
  }

  /** one at a time: reads and releases never interleave */
  private async pumpLoop(read: boolean): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        this.again = false;
        this.againRead = false;
        const more = read ? await this.readOutbox() : false;
        if (this.stopped) return;
        const needRead = this.advance();
        read = needRead || this.againRead || (more && this.pending.size === 0);
        if (!read && !this.again) return;
      }
    } catch (err) {
      // The database is away: the hub keeps filling `pending`; the poll reads again.
      this.opts.log.warn({ err }, 'event stream: reading the outbox failed');
    } finally {
      this.pumping = false;
    }
  }

  /** adds what the outbox holds above the horizon; true when there may be more */
  private async readOutbox(): Promise<boolean> {
    const startedAt = performance.now();
    let cursor = this.horizon;
    for (let page = 0; page < PAGES_PER_READ; page++) {
      const rows = await eventsAfter(this.db, cursor, PAGE);
      for (const row of rows) if (row.id > this.horizon && !this.pending.has(row.id)) this.pending.set(row.id, row);
      if (rows.length < PAGE) {
        this.lastReadAt = startedAt;
        return false;
      }
      cursor = rows[rows.length - 1].id;
    }
    this.lastReadAt = startedAt;
    return true;
  }

  /** releases what is contiguous; true when a read is needed before a gap can be passed over */
  private advance(): boolean {
    for (;;) {
      for (let next = this.pending.get(this.horizon + 1); next; next = this.pending.get(this.horizon + 1)) {
        this.pending.delete(++this.horizon);
        this.release(next);
      }
      if (this.gaps.length > 0) this.gaps = this.gaps.filter((g) => g.to > this.horizon);
      if (this.pending.size === 0) {
        this.clearGapTimer();
        return false;
      }
      let first = Infinity;
      for (const p of this.pending.keys()) if (p < first) first = p;
      const deadline = this.gapSince(this.horizon + 1, first - 1) + this.opts.settleMs;
      const now = performance.now();
      if (now < deadline) {
        this.armGapTimer(Math.min(deadline - now, GAP_READ_MS));
        return false;
      }
      if (this.lastReadAt < deadline) return true;
      // Missing for settleMs after a later position committed, and absent from a read started
      // after that: it will never commit.
      this.horizon = first - 1;
    }
  }

  /**
   * When [from, to] was first seen missing below a committed position. Positions only ever
   * appear, so a gap seen later inside a known one has been missing at least as long.
   */
  private gapSince(from: number, to: number): number {
    const known = this.gaps.find((g) => g.from <= from && from <= g.to);
    if (known) return known.since;
    const since = performance.now();
    this.gaps.push({ from, to, since });
    return since;
  }

  private armGapTimer(ms: number): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.pump(true);
    }, ms).unref();
  }

  private clearGapTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  private release(item: CommittedEvent | OutboxRow): void {
    const orgId = 'position' in item ? item.organizationId : item.organization_id;
    const set = this.listeners.get(orgId);
    if (!set) return;
    let event: CommittedEvent;
    try {
      event = 'position' in item ? item : toCommittedEvent(item);
    } catch (err) {
      this.opts.log.warn({ err, position: 'id' in item ? item.id : null }, 'event stream: unreadable outbox row skipped');
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        // one broken stream must not keep the event from the others, nor stall the tail
        this.opts.log.warn({ err }, 'event stream: a listener failed');
      }
    }
  }
}
