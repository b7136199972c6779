// The `handoff` command (bin/handoff.js): operator tasks on the database DATABASE_URL names.
// Every command goes through the same services as the HTTP API, so the CLI obeys the same
// rules. Output: short lines for humans, or with `--json` exactly one JSON document on stdout.
// Errors always go to stderr as text (stdout stays empty), with what to type next:
// exit 2 for a mistake on the command line, 1 for a refused or failed command.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openConfiguredDatabase, type Database } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { DomainError, Invalid, NotFound } from './errors.ts';
import { EVENTS } from './events/names.ts';
import { systemClock } from './lib/clock.ts';
import { serve } from './server.ts';
import { VERSION } from './version.ts';
import { AGENT_ROLES, createAgent, deactivateAgent } from './modules/agents/agents.service.ts';
import { createApiKey, revokeKey } from './modules/api-keys/api-keys.service.ts';
import { createDepartment } from './modules/departments/departments.service.ts';
import { presentDeactivation } from './modules/agents/agents.presenter.ts';
import { createOrganization, rotateSigningKey, showOrganization } from './modules/organizations/organizations.service.ts';
import { requireOrganization } from './modules/organizations/require-organization.ts';
import { createGuard } from './modules/webhooks/guard.ts';
import { createWebhookBody } from './modules/webhooks/webhooks.schema.ts';
import { createWebhook, deleteWebhook, listWebhooks } from './modules/webhooks/webhooks.service.ts';
import type { Webhook } from './modules/webhooks/webhooks.presenter.ts';
import { int, optional, parseCommandLine, text, usageHint, usageLine, UsageError, type CommandLine } from './cli-args.ts';
import { command, plural, type Command, type Session } from './cli-command.ts';
import { PRESENCE_COMMANDS, ROUTING_COMMANDS } from './cli-routing.ts';
import { INBOX_COMMANDS } from './cli-inbox.ts';

const describeWebhook = (w: Webhook) => `${w.id}  ${w.active ? 'active  ' : 'disabled'}  ${w.url}  ${w.events.join(',')}`;
/** every subscription: the CLI lists them all, not a page */
const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

const COMMANDS: readonly Command[] = [
  command({
    name: 'serve',
    summary: 'Run the HTTP server (HOST, PORT, DATABASE_URL…; see README, Configuration).',
    flags: {},
    json: false,
    run: async (_, session) => serve(session.config()),
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
  command({
    name: 'org create',
    summary: 'Create an organization with its default application and first API key.',
    flags: { name: text('NAME'), domain: optional(text('DOMAIN')), 'rate-limit': optional(int('PER_MINUTE')) },
    async run(v, session) {
      const input = { name: v.name, domain: v.domain, rateLimitPerMinute: v['rate-limit'] };
      const org = await createOrganization(await session.database(), systemClock, input);
      return { id: org.id, name: org.name, apiKey: org.apiKey };
    },
    human: (r) => `Organization ${r.id} "${r.name}" created. API key (shown only now): ${r.apiKey}`,
  }),
  command({
    name: 'org show',
    summary: "Show an organization with its webhook signing key (the receivers' HMAC key).",
    flags: { org: int('ID') },
    run: async (v, session) => showOrganization((await session.database()).db, v.org),
    human: (o) =>
      [
        `Organization ${o.id} "${o.name}" (${o.domain})`,
        `Webhook signing key: ${o.webhookSigningKey}`,
        `Rate limit: ${o.rateLimitPerMinute === null ? 'server default (RATE_LIMIT_PER_MINUTE)' : `${o.rateLimitPerMinute} requests per minute`}`,
      ].join('\n'),
  }),
  command({
    name: 'org rotate-signing-key',
    summary: 'Replace the webhook signing key: every delivery from now on is signed with the new one.',
    flags: { org: int('ID') },
    run: async (v, session) => rotateSigningKey(await session.database(), v.org),
    human: (o) => `New webhook signing key of organization ${o.id}: ${o.webhookSigningKey}`,
  }),
  command({
    name: 'webhook add',
    summary: `Subscribe a URL to events: comma-separated names, or * for all (the default). Events: ${EVENTS.join(', ')}.`,
    flags: { org: int('ID'), url: text('URL'), events: optional(text('a,b|*')) },
    async run(v, session) {
      const events = v.events === undefined || v.events.trim() === '*' ? '*' : v.events.split(',').map((e) => e.trim()).filter((e) => e !== '');
      const input = createWebhookBody.parse({ url: v.url, events });
      const guard = createGuard({ allowPrivate: session.config().webhookAllowPrivate });
      return createWebhook(await session.database(), systemClock, guard, v.org, input);
    },
    human: (w, v) => `Webhook ${w.id} of organization ${v.org} created: ${w.url} (${w.events.join(', ')}).`,
  }),
  command({
    name: 'webhook list',
    summary: "List an organization's webhook subscriptions.",
    flags: { org: int('ID') },
    async run(v, session) {
      const { db } = await session.database();
      await requireOrganization(db, v.org);
      return (await listWebhooks(db, v.org, ALL)).data;
    },
    human: (list, v) => (list.length === 0 ? `Organization ${v.org} has no webhooks.` : list.map(describeWebhook).join('\n')),
  }),
  command({
    name: 'webhook remove',
    summary: 'Delete a webhook subscription; its queued deliveries and log go with it.',
    flags: { org: int('ID'), id: int('WEBHOOK_ID') },
    async run(v, session) {
      const database = await session.database();
      await requireOrganization(database.db, v.org);
      return deleteWebhook(database, v.org, v.id);
    },
    human: (w, v) => `Webhook ${w.id} (${w.url}) of organization ${v.org} removed.`,
  }),
  command({
    name: 'key create',
    summary: 'Create another API key for an organization.',
    flags: { org: int('ID'), name: optional(text('NAME')) },
    run: async (v, session) => createApiKey(await session.database(), systemClock, v.org, v.name),
    human: (r, v) => `API key ${r.id} (${r.prefix}…) created for organization ${v.org}. Key (shown only now): ${r.apiKey}`,
  }),
  command({
    name: 'key revoke',
    summary: 'Revoke an API key: requests with it are refused from now on.',
    flags: { org: int('ID'), id: int('KEY_ID') },
    run: async (v, session) => revokeKey(await session.database(), systemClock, v.org, v.id),
    human: (r, v) => `API key ${r.id} of organization ${v.org} revoked.`,
  }),
  command({
    name: 'agent create',
    summary: 'Create an agent, optionally as a member of a department.',
    flags: {
      org: int('ID'),
      name: text('NAME'),
      email: text('EMAIL'),
      role: text(AGENT_ROLES.join('|')),
      department: optional(int('ID')),
    },
    run: async (v, session) =>
      createAgent(await session.database(), systemClock, {
        orgId: v.org,
        name: v.name,
        email: v.email,
        role: v.role,
        departmentId: v.department,
      }),
    human: (a, v) =>
      `Agent ${a.id} "${a.name}" <${a.email}> created in organization ${v.org} as ${a.role}` +
      (a.departments.length > 0 ? ` (departments: ${a.departments.join(', ')}).` : '.'),
  }),
  command({
    name: 'agent deactivate',
    summary: 'Deactivate an agent: still listed, no longer assignable; routing gives their unanswered chats to others after the offline grace.',
    flags: { org: int('ID'), id: int('AGENT_ID') },
    run: async (v, session) => deactivateAgent(await session.database(), systemClock, v.org, v.id),
    toJson: (r) => presentDeactivation(r.agent, r.chatsToRelease),
    human: ({ agent: a, chatsToRelease: n }, v) =>
      `Agent ${a.id} "${a.name}" of organization ${v.org} deactivated; chats can no longer be assigned to them. ` +
      (n === 0 ? 'None of their chats is waiting to be routed to others.' : `${plural(n, 'unanswered chat')} of theirs will be routed to other agents when the offline grace ends.`),
  }),
  ...PRESENCE_COMMANDS,
  ...INBOX_COMMANDS,
  command({
    name: 'department create',
    summary: 'Create a department.',
    flags: { org: int('ID'), name: text('NAME') },
    run: async (v, session) => createDepartment(await session.database(), systemClock, { orgId: v.org, name: v.name }),
    human: (d, v) => `Department ${d.id} "${d.name}" created in organization ${v.org}.`,
  }),
  ...ROUTING_COMMANDS,
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

function helpResult(topic: Command | undefined) {
  const commands = (topic ? [topic] : COMMANDS).map((c) => ({ command: c.name, usage: usageLine(c), summary: c.summary }));
  return { commands };
}

function helpText({ commands }: ReturnType<typeof helpResult>, topic: Command | undefined): string {
  const lines = commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  if (topic) return ['Usage:', ...lines].join('\n');
  return [
    'handoff — operate a Handoff server (HelpCrunch REST API v1).',
    '',
    'Commands:',
    ...lines,
    '  handoff help [COMMAND]      (or: handoff COMMAND --help)',
    '  handoff --version',
    '',
    'Every command accepts --json: exactly one JSON document on stdout. Errors go to stderr as text;',
    'the exit code is 2 for a mistake on the command line and 1 when the command was refused or failed.',
    'The database is DATABASE_URL (default sqlite:./data/handoff.sqlite).',
  ].join('\n');
}

function openSession(): Session & { close(): Promise<void> } {
  let config: Config | undefined;
  let database: Database | undefined;
  const loadedConfig = () => (config ??= loadConfig());
  return {
    config: loadedConfig,
    async database({ migrate: migrateFirst = true } = {}) {
      if (!database) {
        const c = loadedConfig();
        database = openConfiguredDatabase(c);
        // A fresh database works with any command.
        if (migrateFirst) await migrateDatabase(database);
      }
      return database;
    },
    close: async () => database?.close(),
  };
}

async function execute(line: CommandLine<Command>): Promise<void> {
  if (line.kind === 'version') return write(line.json ? { version: VERSION } : `handoff ${VERSION}`, line.json);
  if (line.kind === 'help') {
    const result = helpResult(line.topic);
    return write(line.json ? result : helpText(result, line.topic), line.json);
  }
  const session = openSession();
  let result: unknown;
  try {
    result = await line.command.run(line.values, session);
  } finally {
    await session.close();
  }
  const { toJson } = line.command;
  write(line.json ? (toJson ? toJson(result) : result) : line.command.human(result, line.values), line.json);
}

function write(output: unknown, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  else if (output !== null) process.stdout.write(`${String(output)}\n`);
}

const NOT_FOUND_HINTS: Record<string, string> = {
  Organization: 'Create one with: handoff org create --name NAME',
  'API key': 'Check --id and --org; a key that is already revoked cannot be revoked again.',
  Agent: 'Check --id and --org: the agent must belong to that organization.',
  Department: 'Check --department and --org: the department must belong to that organization.',
  Webhook: 'List them with: handoff webhook list --org ID',
};

/** Writes what went wrong and what to do next; returns the exit code. */
function report(err: unknown, line: CommandLine<Command> | undefined): number {
  const usage = line?.kind === 'run' ? `\n${usageHint(line.command)}` : '';
  let message: string;
  let code = 1;
  if (err instanceof UsageError) {
    message = `${err.message} ${err.hint}`;
    code = 2;
  } else if (err instanceof Invalid) {
    message = `Invalid input:\n${err.items.map((i) => `  ${i.code}: ${i.message}`).join('\n')}${usage}`;
  } else if (err instanceof NotFound) {
    message = `${err.entity} ${err.id} not found. ${NOT_FOUND_HINTS[err.entity] ?? ''}`.trimEnd();
  } else if (err instanceof ConfigError) {
    message = `${err.message}\nFix the variables above (see README, Configuration) and run the command again.`;
  } else if (err instanceof DomainError) {
    message = err.message;
  } else {
    // The environment (a port in use, an unwritable path) carries a system error code and its
    // message says it all; anything else is a bug, and the stack helps report it.
    const name = line?.kind === 'run' ? `handoff ${line.command.name}` : 'handoff';
    const environmental = typeof (err as { code?: unknown } | null)?.code === 'string';
    message = `${name} failed: ${err instanceof Error ? ((environmental ? err.message : err.stack) ?? err.message) : String(err)}`;
  }
  process.stderr.write(`${message}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  let line: CommandLine<Command> | undefined;
  try {
    line = parseCommandLine(argv, COMMANDS);
    await execute(line);
    return 0;
  } catch (err) {
    return report(err, line);
  }
}

// exitCode rather than exit(): stdout is flushed first, and `serve` keeps running.
process.exitCode = await main(process.argv.slice(2));
