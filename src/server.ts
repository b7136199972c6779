// The server's wiring: config → db → migrate → app → listen → jobs; graceful shutdown. Started by
// main.ts (the process entry) and by `handoff serve`; tests start it in-process.
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openConfiguredDatabase, type Database } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { inProcessHub, redisHub, type LiveHub } from './events/live-hub.ts';
import { connectRedis } from './redis.ts';
import { seedDemo } from './demo/seed.ts';
import { systemClock } from './lib/clock.ts';
import { createSnoozeWaker } from './modules/chats/snooze-waker.ts';
import { createWebhookWorker } from './modules/webhooks/delivery/worker.ts';
import { createWebhookRetention } from './modules/webhooks/retention.ts';
import { createLogger, type Logger } from './logger.ts';
import { VERSION } from './version.ts';
import { createRoutingWorker } from './assignment/routing/routing-worker.ts';
import { countOrganizations } from './modules/organizations/organizations.repository.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  hub: LiveHub;
  url: string;
  stop(): Promise<void>;
}

/** `log`: tests pass one that captures; otherwise one is made from the config (logger.ts) */
export async function startServer(config: Config, log: Logger = createLogger(config)): Promise<RunningServer> {
  const database = openConfiguredDatabase(config);
  await migrateDatabase(database); // under a lock: instances started together do not race
  // Under the same lock, so two instances starting on an empty database seed one demo.
  const demo = config.demo
    ? await database.exclusive(async () => ((await countOrganizations(database.db)) === 0 ? seedDemo(database, systemClock) : null))
    : null;
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, { warn: (details, message) => log.warn(details, message), info: (message) => log.info(message) })
    : null;
  const hub = redis ? redisHub(database, redis, config.redisPrefix) : inProcessHub(database);
  const app = await buildApp({ config, database, clock: systemClock, redis, hub, log });
  const closeInfrastructure = async () => {
    await hub.close();
    redis?.disconnect();
    await database.close();
  };
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await closeInfrastructure(); // e.g. the port is taken: leave the database cleanly closed
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Background jobs start once the server is up; their state is the database (restart-safe).
  const snoozeWaker = createSnoozeWaker({ database, clock: systemClock }, { log });
  snoozeWaker.start();
  // Webhook delivery: woken by events committed here (and, with Redis, on other instances).
  const webhookWorker = config.webhookWorker
    ? createWebhookWorker({ database, clock: systemClock }, { config, log, onEvent: (listener) => hub.subscribe(listener) })
    : null;
  webhookWorker?.start();
  // The webhook log's retention: old settled deliveries and attempts, in small batches, hourly.
  const webhookRetention = createWebhookRetention({ database, clock: systemClock }, { retentionDays: config.webhookRetentionDays, log });
  webhookRetention.start();
  // Routing: woken by every committed event (here and, with Redis, elsewhere), timers from the database.
  const routingWorker = createRoutingWorker({ database, clock: systemClock }, { log, onEvent: (listener) => hub.subscribe(listener) });
  routingWorker.start();

  if (demo) {
    // Printed once, as text and never through the logger (issue 18: no key in any log line):
    // only the key's hash is stored, so this is the only time it can be shown. A demo is only
    // seeded on the quick-start path or when HANDOFF_DEMO=1 asks for one (config.ts).
    console.log(
      [
        '',
        `A demo organization (id ${demo.orgId}) was created in the empty database.`,
        `Demo API key (shown only now): ${demo.apiKey}`,
        `Operator inbox: ${url}/ — sign in (passwords shown only now):`,
        ...demo.signIns.map((s) => `  ${s.email} (${s.role})  password: ${s.password}`),
        'Assign a chat to an agent:',
        `  curl -X PUT ${url}/v1/chats/assignee -H "Authorization: Bearer ${demo.apiKey}" -d '{"id": ${demo.chatIds[0]}, "assignee": ${demo.agentIds[1]}}'`,
        '',
      ].join('\n'),
    );
  }
  // What runs where, for the operator: never a password (describeDatabase) nor a key. Written at
  // any LOG_LEVEL but silent (supervisors and scripts wait for it), like the banner before it was a log line.
  const announce = config.logLevel === 'silent' ? log : log.child({}, { level: 'info' });
  announce.info({ version: VERSION, database: describeDatabase(config.databaseUrl), eventStream: `${url}/v1/events/stream` }, `Handoff is running on ${url}`);
  if (!demo) log.info('Need an API key? npx handoff key create --org ID (or npx handoff org create --name NAME for a new organization with its first key)');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await snoozeWaker.stop(); // no job may touch the database once it closes
      await webhookWorker?.stop(); // attempts in flight are cut short and their claims given back
      await webhookRetention.stop(); // the batch in progress finishes; the rest waits for the next start
      await routingWorker.stop(); // the job in progress commits or rolls back; the rest stays due
      await app.close(); // stops accepting, answers what is in flight
      await closeInfrastructure();
    })());
  return { app, database, hub, url, stop };
}

/**
 * What the start line says about the database: the SQLite file's full path, or PostgreSQL's
 * user, host and database — never the password, nor the query (which may carry one).
 */
export function describeDatabase(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    return path === ':memory:' ? 'SQLite in memory' : `SQLite ${resolve(path)}`;
  }
  try {
    const u = new URL(databaseUrl);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `PostgreSQL ${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * Runs the server until SIGTERM/SIGINT, then drains in-flight requests and exits 0 — or, when
 * something still hangs at the deadline (a client that never finishes its request), exits 1
 * then: a supervisor's stop must not wait on a stranger's connection.
 */
export async function serve(config: Config): Promise<void> {
  const log = createLogger(config);
  const server = await startServer(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    setTimeout(() => {
      log.error({ deadlineMs: config.shutdownTimeoutMs }, 'shutdown deadline passed with connections still open; exiting now');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref(); // a clean stop exits at once, not at the deadline
    server.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
