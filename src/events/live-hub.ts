// Live events: what this instance commits, and with Redis what every instance commits, for
// the live stream and the inbox (DESIGN rule 8: in-process or Redis, chosen in server.ts).
// Delivery here is best-effort and immediate; the outbox stays the durable record that
// webhooks and stream resumption read.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.ts';
import type { CommittedEvent } from './outbox.ts';

export interface LiveHub {
  subscribe(listener: (e: CommittedEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * The part both hubs share: local subscribers, fed with the events committed here to `database`
 * (through `onCommitted`, which may also pass them on) and with whatever `deliver` is given.
 */
function localHub(database: Database, onCommitted: (e: CommittedEvent, deliver: (e: CommittedEvent) => void) => void, onClose = () => {}) {
  const { committedEvents } = database.signals;
  const local = new EventEmitter().setMaxListeners(0);
  const deliver = (e: CommittedEvent) => local.emit('event', e);
  const forward = (e: CommittedEvent) => onCommitted(e, deliver);
  committedEvents.on('event', forward);
  const hub: LiveHub = {
    subscribe(listener) {
      local.on('event', listener);
      return () => local.off('event', listener);
    },
    async close() {
      committedEvents.off('event', forward);
      local.removeAllListeners();
      onClose();
    },
  };
  return { hub, deliver };
}

/** one instance: its own committed events */
export function inProcessHub(database: Database): LiveHub {
  return localHub(database, (e, deliver) => deliver(e)).hub;
}

/**
 * Several instances: each publishes what it commits on one Redis channel and hears the
 * others'. Its own events are delivered locally at once, so they still flow when Redis is
 * down; another instance's events resume when Redis returns.
 */
export function redisHub(database: Database, redis: Redis, prefix: string): LiveHub {
  const channel = `${prefix}events`;
  const origin = randomUUID();
  const sub = redis.duplicate();
  const { hub, deliver } = localHub(
    database,
    (event, deliverLocally) => {
      deliverLocally(event);
      redis.publish(channel, JSON.stringify({ from: origin, event })).catch(() => {});
    },
    () => sub.disconnect(),
  );
  sub.on('error', () => {}); // reported once by the main connection's listener
  sub.on('ready', () => void sub.subscribe(channel).catch(() => {}));
  sub.on('message', (_channel: string, text: string) => {
    try {
      const { from, event } = JSON.parse(text) as { from: string; event: CommittedEvent };
      if (from !== origin) deliver(event);
    } catch {
      // not ours
    }
  });
  return hub;
}
