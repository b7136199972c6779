// The server's wiring: config → db → migrate → app → listen → jobs; graceful shutdown. Started by
// main.ts (the process entry) and by `handoff serve`; tests start it in-process.
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
import { createRoutingWorker } from './assignment/routing/routing-worker.ts';
import { countOrganizations } from './modules/organizations/organizations.repository.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  hub: LiveHub;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const database = openConfiguredDatabase(config);
  await migrateDatabase(database); // under a lock: instances started together do not race
  // Under the same lock, so two instances starting on an empty database seed one demo.
  const demo = config.demo
    ? await database.exclusive(async () => ((await countOrganizations(database.db)) === 0 ? seedDemo(database, systemClock) : null))
    : null;
  // Redis is connected before the app exists; its warnings go to the app's log once it does.
  let app: FastifyInstance | undefined;
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, { warn: (details, message) => app?.log.warn(details, message), info: (message) => app?.log.info(message) })
    : null;
  const hub = redis ? redisHub(database, redis, config.redisPrefix) : inProcessHub(database);
  app = await buildApp({ config, database, clock: systemClock, redis, hub });
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
  const snoozeWaker = createSnoozeWaker({ database, clock: systemClock }, { log: app.log });
  snoozeWaker.start();
  // Webhook delivery: woken by events committed here (and, with Redis, on other instances).
  const webhookWorker = config.webhookWorker
    ? createWebhookWorker({ database, clock: systemClock }, { config, log: app.log, onEvent: (listener) => hub.subscribe(listener) })
    : null;
  webhookWorker?.start();
  // Routing: woken by every committed event (here and, with Redis, elsewhere), timers from the database.
  const routingWorker = createRoutingWorker({ database, clock: systemClock }, { log: app.log, onEvent: (listener) => hub.subscribe(listener) });
  routingWorker.start();

  if (demo) {
    // Printed once: only the key's hash is stored, so this is the only time it can be shown.
    console.log(
      [
        '',
        `Handoff is running on ${url} with a demo organization (id ${demo.orgId}).`,
        `Demo API key (shown only now): ${demo.apiKey}`,
        `Operator inbox: ${url}/ — sign in (passwords shown only now):`,
        ...demo.signIns.map((s) => `  ${s.email} (${s.role})  password: ${s.password}`),
        'Assign a chat to an agent:',
        `  curl -X PUT ${url}/v1/chats/assignee -H "Authorization: Bearer ${demo.apiKey}" -d '{"id": ${demo.chatIds[0]}, "assignee": ${demo.agentIds[1]}}'`,
        '',
      ].join('\n'),
    );
  } else {
    console.log(
      `Handoff is running on ${url}. Need an API key? npx handoff key create --org ID ` +
        '(or npx handoff org create --name NAME for a new organization with its first key)',
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await snoozeWaker.stop(); // no job may touch the database once it closes
      await webhookWorker?.stop(); // attempts in flight are cut short and their claims given back
      await routingWorker.stop(); // the job in progress commits or rolls back; the rest stays due
      await app!.close(); // stops accepting, answers what is in flight
      await closeInfrastructure();
    })());
  return { app, database, hub, url, stop };
}

/** Runs the server until SIGTERM/SIGINT, then drains in-flight requests and exits 0. */
export async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
  const shutdown = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
