// One open `GET /v1/events/stream` (API.md §4.8): Server-Sent Events for one organization.
// Resuming is gap-free and duplicate-free because the order of steps is fixed: subscribe to
// the tail first (holding what it releases), replay the outbox up to the tail's horizon, then
// send what was held. The tail releases only positions above its horizon, so the replay and
// the live events meet exactly; `lastSent` drops anything at or below what was already sent.
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../db/database.ts';
import { presentEventEnvelope } from '../../events/envelope.ts';
import type { CommittedEvent } from '../../events/outbox.ts';
import type { OutboxTail, TailSubscription } from './outbox-tail.ts';
import { organizationEventsBetween, toCommittedEvent } from './event-stream.repository.ts';

/** a comment line this often keeps proxies and load balancers from closing an idle stream */
export const HEARTBEAT_MS = 15_000;
/** the reconnection delay suggested to EventSource clients */
export const RETRY_MS = 3_000;
/**
 * A revoked key's or session's stream ends within this plus the authentication cache's 2 s
 * (API.md §5, docs/inbox.md: 5 s): at most ~4 s, leaving room for a slow check.
 */
export const KEY_CHECK_MS = 2_000;
const REPLAY_PAGE = 500;
/** live events held while a replay runs; past it the client resumes later from the outbox */
const MAX_HELD = 10_000;
/** unsent bytes a slow reader may leave queued; past it, it is cut off and resumes from the outbox */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

export interface EventStreamContext {
  db: Executor;
  tail: OutboxTail;
  /** false once the caller's key is revoked or its organization deleted */
  stillAuthorized(): Promise<boolean>;
  log: FastifyBaseLogger;
}

export class EventStream {
  private lastSent: number;
  /** live events that arrive while the replay runs; null once live */
  private held: CommittedEvent[] | null = [];
  private subscription: TailSubscription | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private ended = false;
  private readonly endListeners: Array<() => void> = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly orgId: number,
    /** Last-Event-ID: replay every event after it; null = live events only */
    private readonly resumeAfter: number | null,
    private readonly ctx: EventStreamContext,
  ) {
    this.lastSent = resumeAfter ?? 0;
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  /**
   * Joins the live feed, before anything is written: a failure here is still an ordinary
   * error answer, and once the client sees the first line, every later commit reaches it.
   */
  async subscribe(): Promise<void> {
    this.subscription = await this.ctx.tail.subscribe(this.orgId, (e) => this.live(e));
  }

  /** after subscribe() and the response head: replays what the client missed, then goes live */
  async start(): Promise<void> {
    this.res.on('close', () => this.end()); // the client went away
    if (!this.res.socket || this.res.socket.destroyed) return this.end(); // ... or already had
    this.res.write(`retry: ${RETRY_MS}\n\n`);
    this.timers.push(setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS));
    this.timers.push(setInterval(() => void this.checkKey(), KEY_CHECK_MS));
    try {
      if (this.resumeAfter !== null) await this.replay(this.resumeAfter, this.subscription!.horizon);
      if (this.ended) return;
      const held = this.held ?? [];
      this.held = null;
      for (const e of held) this.send(e);
    } catch (err) {
      // Headers are sent: the client sees the stream end and resumes with its Last-Event-ID.
      this.ctx.log.error({ err }, 'event stream failed');
      this.end();
    }
  }

  /** Ends the stream; on shutdown the connection is closed too, so the server can stop. */
  end(reason?: 'shutdown'): void {
    if (this.ended) return;
    this.ended = true;
    for (const t of this.timers) clearInterval(t);
    this.subscription?.unsubscribe();
    this.held = null;
    if (reason === 'shutdown') this.res.shouldKeepAlive = false;
    if (!this.res.writableEnded) this.res.end();
    for (const listener of this.endListeners) listener();
  }

  private live(e: CommittedEvent): void {
    if (this.ended) return;
    if (this.held) {
      this.held.push(e);
      if (this.held.length > MAX_HELD) this.end();
      return;
    }
    this.send(e);
    if (this.res.writableLength > MAX_UNSENT_BYTES) {
      this.ctx.log.info({ unsent: this.res.writableLength }, 'event stream: slow reader cut off');
      this.end();
    }
  }

  /** the outbox from `after` to `upTo`, page by page, waiting for the socket between pages */
  private async replay(after: number, upTo: number): Promise<void> {
    for (let cursor = after; cursor < upTo; ) {
      const rows = await organizationEventsBetween(this.ctx.db, this.orgId, cursor, upTo, REPLAY_PAGE);
      if (this.ended) return;
      for (const row of rows) this.send(toCommittedEvent(row));
      if (rows.length < REPLAY_PAGE) return;
      cursor = rows[rows.length - 1].id;
      if (this.res.writableNeedDrain) await this.drained();
    }
  }

  private send(e: CommittedEvent): void {
    if (e.position <= this.lastSent) return;
    this.lastSent = e.position;
    // JSON.stringify never emits a raw line break, so `data:` is one line (SSE splits on CR/LF).
    this.write(`id: ${e.position}\nevent: ${e.event}\ndata: ${JSON.stringify(presentEventEnvelope(e))}\n\n`);
  }

  private write(text: string): void {
    if (!this.ended && !this.res.writableEnded) this.res.write(text);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  private async checkKey(): Promise<void> {
    try {
      if (!(await this.ctx.stillAuthorized())) this.end();
    } catch {
      // the database is away: keep streaming; the next check decides
    }
  }
}
