// The `handoff` commands of organizations and their API keys: create, list, show; a key is
// printed once when created and never again (`key list` shows its prefix).
import { int, optional, text } from './cli-args.ts';
import { command, type Command } from './cli-command.ts';
import { table, when } from './cli-format.ts';
import { systemClock } from './lib/clock.ts';
import { createApiKey, listKeys, revokeKey } from './modules/api-keys/api-keys.service.ts';
import { createOrganization, listOrganizations, rotateSigningKey, showOrganization } from './modules/organizations/organizations.service.ts';

const rateLimit = (perMinute: number | null) => (perMinute === null ? 'server default (RATE_LIMIT_PER_MINUTE)' : `${perMinute} requests per minute`);

/** `org create|list|show|rotate-signing-key` */
export const ORGANIZATION_COMMANDS: readonly Command[] = [
  command({
    name: 'org create',
    summary: 'Create an organization with its default application and first API key.',
    flags: { name: text('NAME'), domain: optional(text('DOMAIN')), 'rate-limit': optional(int('PER_MINUTE')) },
    async run(v, session) {
      const input = { name: v.name, domain: v.domain, rateLimitPerMinute: v['rate-limit'] };
      const org = await createOrganization(await session.database(), systemClock, input);
      return { id: org.id, name: org.name, applicationId: org.applicationId, apiKey: org.apiKey };
    },
    human: (r) =>
      `Organization ${r.id} "${r.name}" created with application ${r.applicationId} (the "application" of POST /v1/chats). ` +
      `API key (shown only now): ${r.apiKey}`,
  }),
  command({
    name: 'org list',
    summary: 'List the organizations of this database with their default application (no secrets).',
    flags: {},
    readOnly: true,
    run: async (_, session) => listOrganizations((await session.database()).db),
    human: (list) =>
      list.length === 0
        ? 'No organizations yet. Create one with: handoff org create --name NAME'
        : table(
            ['ID', 'NAME', 'DOMAIN', 'APPLICATION', 'RATE LIMIT'],
            list.map((o) => [String(o.id), o.name, o.domain, String(o.applicationId ?? '-'), o.rateLimitPerMinute === null ? 'server default' : `${o.rateLimitPerMinute}/min`]),
          ),
  }),
  command({
    name: 'org show',
    summary: "Show an organization: its default application id (for POST /v1/chats) and webhook signing key (the receivers' HMAC key).",
    flags: { org: int('ID') },
    readOnly: true,
    run: async (v, session) => showOrganization((await session.database()).db, v.org),
    human: (o) =>
      [
        `Organization ${o.id} "${o.name}" (${o.domain})`,
        `Application: ${o.applicationId ?? 'none'} (the "application" of POST /v1/chats)`,
        `Webhook signing key: ${o.webhookSigningKey}`,
        `Rate limit: ${rateLimit(o.rateLimitPerMinute)}`,
      ].join('\n'),
  }),
  command({
    name: 'org rotate-signing-key',
    summary: 'Replace the webhook signing key: every delivery from now on is signed with the new one.',
    flags: { org: int('ID') },
    run: async (v, session) => rotateSigningKey(await session.database(), v.org),
    human: (o) => `New webhook signing key of organization ${o.id}: ${o.webhookSigningKey}`,
  }),
];

/** `key create|list|revoke` */
export const KEY_COMMANDS: readonly Command[] = [
  command({
    name: 'key create',
    summary: 'Create another API key for an organization.',
    flags: { org: int('ID'), name: optional(text('NAME')) },
    run: async (v, session) => createApiKey(await session.database(), systemClock, v.org, v.name),
    human: (r, v) => `API key ${r.id} (${r.prefix}…) created for organization ${v.org}. Key (shown only now): ${r.apiKey}`,
  }),
  command({
    name: 'key list',
    summary: "List an organization's API keys: id, name, prefix, created, last used (to the minute), revoked. Never the key itself.",
    flags: { org: int('ID') },
    readOnly: true,
    run: async (v, session) => listKeys((await session.database()).db, v.org),
    human: (keys, v) =>
      keys.length === 0
        ? `Organization ${v.org} has no API keys. Create one with: handoff key create --org ${v.org}`
        : table(
            ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'],
            keys.map((k) => [String(k.id), k.name, `${k.prefix}…`, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt, '-')]),
          ),
  }),
  command({
    name: 'key revoke',
    summary: 'Revoke an API key: requests with it are refused from now on.',
    flags: { org: int('ID'), id: int('KEY_ID') },
    run: async (v, session) => revokeKey(await session.database(), systemClock, v.org, v.id),
    human: (r, v) => `API key ${r.id} of organization ${v.org} revoked.`,
  }),
];
