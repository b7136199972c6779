// `handoff webhook pause|resume|list` with a real delivery worker and a receiver on loopback
// (test/helpers/webhook-app.ts), in-process on the test's database (both databases). A pause
// disables a subscription the way a 410 from its receiver does; resume re-enables either, and the
// subscription then gets the events committed after it, as a new one would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOut } from '../src/modules/webhooks/delivery/fan-out.ts';
import { client, T0 } from './helpers/app.ts';
import { cliOn } from './helpers/cli.ts';
import { webhookTestApp, type WebhookTestApp } from './helpers/webhook-app.ts';

let h: WebhookTestApp;
let cli: ReturnType<typeof cliOn>;
/** while true, '/gone…' answers 410 Gone; everything else 200 */
let gone = true;

beforeAll(async () => {
  h = await webhookTestApp({ respond: (r, res) => void res.writeHead(gone && r.url.startsWith('/gone') ? 410 : 200).end() });
  cli = cliOn(h.t.database, { WEBHOOK_ALLOW_PRIVATE: '1' });
});
afterAll(() => h.close());

const received = (path: string) => h.receiver.received.filter((r) => r.url === path).map((r) => [r.json.event, r.json.eventData.chat.status]);
const hookRow = (id: number) => h.t.database.db.selectFrom('webhooks').select(['active', 'disabled_at', 'disabled_reason']).where('id', '=', id).executeTakeFirstOrThrow();

async function subscribed(path: string) {
  const w = await h.f.world();
  const o = String(w.org.id);
  const hook = await cli.json(['webhook', 'add', '--org', o, '--url', h.receiver.url(path), '--events', 'chat.status_updated']);
  await h.worker.drain(); // nothing left over from the world's setup
  const api = client(h.t.app, w.org.apiKey);
  const status = async (s: string) => expect((await api.put('/v1/chats/status', { id: w.chat.id, status: s })).status).toBe(200);
  const args = (verb: string) => ['webhook', verb, '--org', o, '--id', String(hook.id)];
  return { w, o, hook, status, args };
}

describe('webhook pause', () => {
  it('cancels what is queued, sends nothing while paused, and resume sends what is committed after it', async () => {
    const { o, hook, status, args } = await subscribed('/paused');
    // another subscription keeps every event of the organization pending for the worker
    await cli.json(['webhook', 'add', '--org', o, '--url', h.receiver.url('/also')]);
    await status('pending');
    await fanOut(h.t.database, h.t.clock); // queued, not yet sent
    const queued = await h.t.database.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).execute();
    expect(queued).toHaveLength(1);

    const paused = await cli.json(args('pause'));
    const row = await hookRow(hook.id);
    expect(paused).toEqual({ ...hook, active: false, disabledAt: String(row.disabled_at), disabledReason: 'paused by an operator' });
    expect(Object.keys(paused)).toEqual(['id', 'url', 'events', 'active', 'createdAt', 'disabledAt', 'disabledReason']);
    await h.worker.drain();
    expect(received('/paused')).toEqual([]);
    const log = await h.t.database.db.selectFrom('webhook_attempts').select(['status', 'error']).where('webhook_id', '=', hook.id).execute();
    expect(log).toEqual([{ status: 'failed', error: 'not attempted: paused by an operator' }]);

    await status('onhold'); // while paused, and resumed before the worker fans it out
    const resumed = await cli.json(args('resume'));
    expect(resumed).toEqual({ ...hook, active: true, disabledAt: null, disabledReason: null });
    await status('pending');
    await h.worker.drain();
    expect(received('/paused')).toEqual([['chat.status_updated', 'pending']]); // not the one written while paused
    expect(received('/also')).toEqual([['chat.status_updated', 'pending'], ['chat.status_updated', 'onhold'], ['chat.status_updated', 'pending']]);
  });

  it('says what it did, and what it did not do the second time', async () => {
    const { o, hook, args } = await subscribed('/twice');
    const url = h.receiver.url('/twice');
    expect(await cli.run(args('pause'))).toEqual({
      code: 0,
      stdout: `Webhook ${hook.id} (${url}) of organization ${o} paused: nothing more is sent to it. Resume with: handoff webhook resume --org ${o} --id ${hook.id}\n`,
      stderr: '',
    });
    const { disabled_at } = await hookRow(hook.id);
    const again = await cli.run(args('pause'));
    expect(again.stdout).toMatch(new RegExp(`^Webhook ${hook.id} \\(${url}\\) of organization ${o} is already disabled \\(paused by an operator, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)\\.\\n$`));
    expect((await hookRow(hook.id)).disabled_at).toBe(disabled_at);
    expect(await cli.run(args('resume'))).toEqual({
      code: 0,
      stdout: `Webhook ${hook.id} (${url}) of organization ${o} resumed: events committed from now on are sent to it (none of those written while it was disabled).\n`,
      stderr: '',
    });
    expect((await cli.run(args('resume'))).stdout).toBe(`Webhook ${hook.id} (${url}) of organization ${o} is already active.\n`);
  });

  it("an unknown subscription or another organization's is not found, and stays as it was", async () => {
    const mine = await subscribed('/mine');
    const theirs = await subscribed('/theirs');
    for (const verb of ['pause', 'resume']) {
      for (const id of ['999999', String(theirs.hook.id)]) {
        expect(await cli.run(['webhook', verb, '--org', mine.o, '--id', id])).toEqual({
          code: 1,
          stdout: '',
          stderr: `Webhook ${id} not found. List them with: handoff webhook list --org ID\n`,
        });
      }
    }
    expect(await hookRow(theirs.hook.id)).toEqual({ active: 1, disabled_at: null, disabled_reason: null });
  });
});

describe('webhook resume after a 410', () => {
  it('the list says why it is disabled; resume re-enables it for the events after it', async () => {
    const { o, hook, status, args } = await subscribed('/gone');
    await status('pending');
    await h.worker.drain();
    expect(received('/gone')).toEqual([['chat.status_updated', 'pending']]); // answered 410
    const list = (await cli.json(['webhook', 'list', '--org', o])) as Array<{ id: number }>;
    expect(list).toEqual([{ ...hook, active: false, disabledAt: String(T0), disabledReason: 'the receiver answered 410 Gone' }]);
    expect((await cli.run(['webhook', 'list', '--org', o])).stdout).toBe(
      `${hook.id}  disabled  ${hook.url}  chat.status_updated  (the receiver answered 410 Gone, since 2023-11-14 22:13 UTC)\n`,
    );

    gone = false; // the receiver is back
    await status('onhold'); // still disabled: not sent
    expect(await cli.json(args('resume'))).toEqual({ ...hook, active: true, disabledAt: null, disabledReason: null });
    await status('pending');
    await h.worker.drain();
    expect(received('/gone')).toEqual([['chat.status_updated', 'pending'], ['chat.status_updated', 'pending']]);
    const delivered = await h.t.database.db.selectFrom('webhook_deliveries').select('status').where('webhook_id', '=', hook.id).orderBy('id').execute();
    expect(delivered.map((d) => d.status)).toEqual(['failed', 'delivered']);
    expect((await cli.run(['webhook', 'list', '--org', o])).stdout).toBe(`${hook.id}  active    ${hook.url}  chat.status_updated\n`);
  });
});
