// Live events: what this instance commits, and with Redis what every instance commits, for
// the live stream and the inbox (DESIGN rule 8: in-process or Redis, chosen in main.ts).
// Delivery here is best-effort and immediate; the outbox stays the durable record that
// webhooks and stream resumption read.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { committedEvents, type CommittedEvent } from './outbox.ts';

export interface LiveHub {
  subscribe(listener: (e: CommittedEvent) => void): () => void;
  close(): Promise<void>;
}


/** one instance: its own committed events */
export function inProcessHub(): LiveHub {
  const local = new EventEmitter().setMaxListeners(0);
  const forward = (e: CommittedEvent) => local.emit('event', e);
  committedEvents.on('event', forward);
  return {
    subscribe(listener) {
      local.on('event', listener);
      return () => local.off('event', listener);
    },
    async close() {
      committedEvents.off('event', forward);
      local.removeAllListeners();
    },
  };
}

/**
 * Several instances: each publishes what it commits on one Redis channel and hears the
 * others'. Its own events are delivered locally at once, so they still flow when Redis is
 * down; another instance's events resume when Redis returns.
 */
export function redisHub(redis: Redis, prefix: string): LiveHub {
  const CHANNEL = `${prefix}events`;
  const origin = randomUUID();
  const local = new EventEmitter().setMaxListeners(0);
  const sub = redis.duplicate();
  sub.on('error', () => {}); // reported once by the main connection's listener
  sub.on('ready', () => void sub.subscribe(CHANNEL).catch(() => {}));
  sub.on('message', (_channel: string, text: string) => {
    try {
      const { from, event } = JSON.parse(text) as { from: string; event: CommittedEvent };
      if (from !== origin) local.emit('event', event);
    } catch {
      // not ours
    }
  });
  const forward = (event: CommittedEvent) => {
    local.emit('event', event);
    redis.publish(CHANNEL, JSON.stringify({ from: origin, event })).catch(() => {});
  };
  committedEvents.on('event', forward);
  return {
    subscribe(listener) {
      local.on('event', listener);
      return () => local.off('event', listener);
    },
    async close() {
      committedEvents.off('event', forward);
      local.removeAllListeners();
      sub.disconnect();
    },
  };
}
