// `handoff webhook add|list|remove`, `handoff org show` and `org rotate-signing-key` end to end
// through the real command table, in-process on the test's database (cli.test.ts says why). No
// URL here is ever contacted: no worker runs. Pause and resume: cli-webhooks.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { freshDatabase, type TestDatabase } from './helpers/app.ts';
import { cliOn } from './helpers/cli.ts';

describe('handoff webhook / org show', () => {
  let fresh: TestDatabase;
  let database: Database;
  let cli: ReturnType<typeof cliOn>;
  let orgId: number;

  const handoff = (args: string[], env: Record<string, string> = {}) => cli.run(args, env);
  const json = (args: string[], env?: Record<string, string>) => cli.json(args, env);
  const db = () => database.db;
  const PRIVATE_OK = { WEBHOOK_ALLOW_PRIVATE: '1' };

  beforeAll(async () => {
    fresh = await freshDatabase();
    database = fresh.database;
    cli = cliOn(database);
    orgId = (await json(['org', 'create', '--name', 'Hooks Inc', '--rate-limit', '300'])).id;
  });
  afterAll(async () => {
    await database.close();
    await fresh.drop();
  });

  it('org show --json → {id, name, domain, applicationId, webhookSigningKey, rateLimitPerMinute}', async () => {
    const org = await json(['org', 'show', '--org', String(orgId)]);
    expect(Object.keys(org)).toEqual(['id', 'name', 'domain', 'applicationId', 'webhookSigningKey', 'rateLimitPerMinute']);
    const row = await db().selectFrom('organizations').select('webhook_signing_key').where('id', '=', orgId).executeTakeFirstOrThrow();
    const application = await db().selectFrom('applications').select('id').where('organization_id', '=', orgId).executeTakeFirstOrThrow();
    expect(org).toEqual({ id: orgId, name: 'Hooks Inc', domain: 'hooks-inc', applicationId: application.id, webhookSigningKey: row.webhook_signing_key, rateLimitPerMinute: 300 });
    const human = await handoff(['org', 'show', '--org', String(orgId)]);
    expect(human).toEqual({
      code: 0,
      stdout: [
        `Organization ${orgId} "Hooks Inc" (hooks-inc)`,
        `Application: ${application.id} (the "application" of POST /v1/chats)`,
        `Webhook signing key: ${row.webhook_signing_key}`,
        'Rate limit: 300 requests per minute',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('org rotate-signing-key stores and prints a new key; org show agrees', async () => {
    const before = (await json(['org', 'show', '--org', String(orgId)])).webhookSigningKey;
    const r = await handoff(['org', 'rotate-signing-key', '--org', String(orgId)]);
    expect(r.code).toBe(0);
    const after = (await json(['org', 'show', '--org', String(orgId)])).webhookSigningKey;
    expect(after).not.toBe(before);
    expect(r.stdout).toBe(`New webhook signing key of organization ${orgId}: ${after}\n`);
  });

  it('webhook add refuses a loopback URL unless WEBHOOK_ALLOW_PRIVATE=1 (exit 1, reason on stderr)', async () => {
    const r = await handoff(['webhook', 'add', '--org', String(orgId), '--url', 'http://127.0.0.1:9/hook']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('url: The address 127.0.0.1 is not allowed: loopback (127.0.0.0/8).');
    expect(await db().selectFrom('webhooks').select('id').execute()).toEqual([]);
  });

  it('webhook add --events a,b --json prints the subscription; without --events it is *', async () => {
    const some = await json(['webhook', 'add', '--org', String(orgId), '--url', 'http://127.0.0.1:9/a', '--events', 'chat.assigned, chat.new'], PRIVATE_OK);
    expect(some).toEqual({ id: expect.any(Number), url: 'http://127.0.0.1:9/a', events: ['chat.new', 'chat.assigned'], active: true, createdAt: expect.stringMatching(/^\d+$/) });
    expect(Object.keys(some)).toEqual(['id', 'url', 'events', 'active', 'createdAt']); // as POST /v1/webhooks answers
    const all = await json(['webhook', 'add', '--org', String(orgId), '--url', 'http://127.0.0.1:9/b'], PRIVATE_OK);
    expect(all.events).toEqual(['*']);
    const r = await handoff(['webhook', 'add', '--org', String(orgId), '--url', 'http://127.0.0.1:9/c', '--events', 'chat.nope'], PRIVATE_OK);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('events: One or more of the given values is invalid.');
  });

  it('webhook list prints every subscription (--json: an array); remove deletes one', async () => {
    const list = await json(['webhook', 'list', '--org', String(orgId)]);
    expect(list.map((w: { url: string }) => w.url)).toEqual(['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b']);
    const human = await handoff(['webhook', 'list', '--org', String(orgId)]);
    expect(human.stdout).toBe(`${list[0].id}  active    http://127.0.0.1:9/a  chat.new,chat.assigned\n${list[1].id}  active    http://127.0.0.1:9/b  *\n`);
    const removed = await handoff(['webhook', 'remove', '--org', String(orgId), '--id', String(list[0].id)]);
    expect(removed).toMatchObject({ code: 0, stdout: `Webhook ${list[0].id} (http://127.0.0.1:9/a) of organization ${orgId} removed.\n` });
    const again = await handoff(['webhook', 'remove', '--org', String(orgId), '--id', String(list[0].id)]);
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: `Webhook ${list[0].id} not found. List them with: handoff webhook list --org ID\n` });
    expect((await json(['webhook', 'list', '--org', String(orgId)])).map((w: { id: number }) => w.id)).toEqual([list[1].id]);
  });

  it('an unknown organization and a missing flag are reported', async () => {
    for (const args of [['webhook', 'list', '--org', '999'], ['org', 'show', '--org', '999'], ['org', 'rotate-signing-key', '--org', '999']]) {
      const r = await handoff(args);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toMatch(/^Organization 999 not found\./);
    }
    const usage = await handoff(['webhook', 'add', '--org', String(orgId)]);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toContain('Missing --url.');
    expect(usage.stderr).toContain('Usage: handoff webhook add --org ID --url URL [--events a,b|*]');
  });

  it('webhook add --help names every event a subscription can ask for', async () => {
    const help = await handoff(['webhook', 'add', '--help']);
    for (const event of ['chat.assigned', 'message.private', 'customer.deleted', 'agent.status_updated']) expect(help.stdout).toContain(event);
    expect(help.stdout).not.toContain('API.md');
  });
});
