// The `handoff` command table (run by cli.ts): every command, in the order `handoff help` lists
// them. Each group lives in a file of its own; `serve`, `migrate` and `demo` are here.
import { command, plural, type Command } from './cli-command.ts';
import { AGENT_COMMANDS } from './cli-agents.ts';
import { DEPARTMENT_COMMANDS } from './cli-departments.ts';
import { INBOX_COMMANDS } from './cli-inbox.ts';
import { KEY_COMMANDS, ORGANIZATION_COMMANDS } from './cli-organizations.ts';
import { PRESENCE_COMMANDS, ROUTING_COMMANDS } from './cli-routing.ts';
import { WEBHOOK_COMMANDS } from './cli-webhooks.ts';
import { migrateDatabase } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { systemClock } from './lib/clock.ts';

export const COMMANDS: readonly Command[] = [
  command({
    name: 'serve',
    summary: 'Run the HTTP server (HOST, PORT, DATABASE_URL…; see README, Configuration).',
    flags: {},
    json: false,
    // Loaded only for `serve`: the HTTP stack is most of the modules a CLI call would load (~0.1 s).
    run: async (_, session) => (await import('./server.ts')).serve(session.config()),
    human: () => null,
  }),
  command({
    name: 'migrate',
    summary: 'Apply pending database migrations (every other command does this first).',
    flags: {},
    async run(_, session) {
      const results = await migrateDatabase(await session.database({ migrate: false }));
      return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    },
    human: (r) => (r.applied.length > 0 ? `Applied migrations: ${r.applied.join(', ')}.` : 'The database is up to date.'),
  }),
  ...ORGANIZATION_COMMANDS,
  ...KEY_COMMANDS,
  ...AGENT_COMMANDS,
  ...PRESENCE_COMMANDS,
  ...INBOX_COMMANDS,
  ...DEPARTMENT_COMMANDS,
  ...ROUTING_COMMANDS,
  ...WEBHOOK_COMMANDS,
  command({
    name: 'demo',
    summary: 'Seed a demo organization with agents, departments, customers and chats.',
    flags: {},
    run: async (_, session) => seedDemo(await session.database(), systemClock),
    human: (d) =>
      [
        `Demo organization ${d.orgId} created with ${plural(d.agentIds.length, 'agent')} (${d.agentIds.join(', ')}) and ${plural(d.chatIds.length, 'chat')} (${d.chatIds.join(', ')}).`,
        `API key (shown only now): ${d.apiKey}`,
        'Inbox sign-ins (passwords shown only now):',
        ...d.signIns.map((s) => `  ${s.email} (${s.role})  password: ${s.password}`),
      ].join('\n'),
  }),
];
