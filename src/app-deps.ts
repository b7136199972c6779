import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { LiveHub } from './events/live-hub.ts';
import type { Database } from './db/database.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './logger.ts';
import type { PagePresenceTimings } from './modules/inbox/page-presence.ts';

/** What the HTTP layer is wired with (DESIGN rule 8: chosen in server.ts or by the tests). */
export interface Deps {
  config: Config;
  database: Database;
  clock: Clock;
  /** shared rate-limit counters between instances; absent = counted in this process */
  redis?: Redis | null;
  /** live events for streams: this instance's, or with Redis every instance's */
  hub?: LiveHub;
  /** where the app logs; default: a logger made from the config (logger.ts). server.ts shares one with the jobs */
  log?: Logger;
  /** the inbox pages' presence timings (docs/inbox.md); tests shorten them */
  inboxPresence?: Partial<PagePresenceTimings>;
}
