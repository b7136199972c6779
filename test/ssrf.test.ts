// The SSRF guard (issue 6 item 4). The address rule is a pure function, tested on literal
// addresses of every refused range — nothing here ever connects to them. End to end, refusal
// is proven with loopback targets only (127.0.0.1, 127.9.9.9, localhost, [::1]) and
// WEBHOOK_ALLOW_PRIVATE unset: a listener on that address sees no connection at all.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseIPv6, refusedRange } from '../src/modules/webhooks/address-check.ts';
import { createGuard, UrlRefused, type Resolver } from '../src/modules/webhooks/guard.ts';
import { createSender } from '../src/modules/webhooks/delivery/sender.ts';
import { createWebhookWorker } from '../src/modules/webhooks/delivery/worker.ts';
import { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../src/modules/webhooks/webhooks.service.ts';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.ts';

describe('refusedRange (pure, literal addresses only)', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['127.9.9.9', 'loopback'],
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'], ['192.168.255.255', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.0.1', 'link-local'], ['169.254.255.255', 'link-local'], ['169.254.169.254', 'cloud metadata'],
    ['0.0.0.0', '"this network"'], ['0.1.2.3', '"this network"'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'IETF protocol assignments'], ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'], ['198.18.0.1', 'benchmarking'], ['198.19.255.255', 'benchmarking'], ['192.88.99.1', '6to4 relay'],
  ])('IPv4 %s → %s', (address, range) => {
    expect(refusedRange(address)).toContain(range);
  });

  it.each([
    ['::1', 'loopback'], ['[::1]', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'], ['::', 'unspecified'],
    ['fd00::1', 'unique-local'], ['fdff:ffff::1', 'unique-local'], ['fc00::1', 'unique-local'], ['fd00:ec2::254', 'cloud metadata'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['febf:ffff::1', 'link-local'], ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'], ['ff05::1:3', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped (::ffff:0:0/96) loopback'], ['::ffff:7f00:1', 'IPv4-mapped (::ffff:0:0/96) loopback'],
    ['::FFFF:10.0.0.1', 'IPv4-mapped (::ffff:0:0/96) private'], ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'], ['::ffff:100.64.0.1', 'carrier-grade NAT'], ['::ffff:0.0.0.0', '"this network"'],
    ['::ffff:0:7f00:1', 'IPv4-translated'], ['64:ff9b::127.0.0.1', 'NAT64 (64:ff9b::/96) loopback'], ['64:ff9b::a00:1', 'NAT64 (64:ff9b::/96) private'],
    ['64:ff9b:1::1', 'local NAT64'], ['2002:7f00:1::1', '6to4 (2002::/16) loopback'], ['2002:c0a8:101::1', '6to4 (2002::/16) private'],
    ['::127.0.0.1', 'IPv4-compatible'], ['::8.8.8.8', 'IPv4-compatible'], ['2001:db8::1', 'documentation'], ['2001::1', 'Teredo'],
    ['100::1', 'discard-only'], ['3fff::1', 'documentation (3fff::/20)'], ['3fff:fff:ffff::1', 'documentation'],
    ['5f00::1', 'segment routing'], ['5f00:ffff::1', 'segment routing'],
  ])('IPv6 %s → %s', (address, range) => {
    expect(refusedRange(address)).toContain(range);
  });

  it.each([
    '8.8.8.8', '1.1.1.1', '93.184.216.34', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '169.253.255.255',
    '169.255.0.1', '11.0.0.0', '9.255.255.255', '126.255.255.255', '128.0.0.0', '192.167.255.255', '192.169.0.0', '223.255.255.255',
    '2606:4700:4700::1111', '2001:4860:4860::8888', '3fff:1000::1', '5f01::1', '5eff:ffff::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2a00:1450:4001:80b::200e',
  ])('public %s → allowed', (address) => {
    expect(refusedRange(address)).toBeNull();
  });

  it.each(['example.com', '1.2.3', '256.1.1.1', '::g', '1::2::3', '1:2:3:4:5:6:7:8:9', '', '127.0.0.1.'])('%j → not an IP address', (text) => {
    expect(refusedRange(text)).toBe('not an IP address');
  });

  it('parses IPv6 forms to the same 16 bytes', () => {
    const loop = [...Array(15).fill(0), 1];
    expect(parseIPv6('::1')).toEqual(loop);
    expect(parseIPv6('0:0:0:0:0:0:0:1')).toEqual(loop);
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual(parseIPv6('::ffff:7f00:1'));
    expect(parseIPv6('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeNull();
  });
});

describe('guard (injected resolver: no real DNS)', () => {
  const resolver = (answers: Record<string, string[]>) =>
    vi.fn<Resolver>(async (host) => {
      const list = answers[host];
      if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
    });
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UrlRefused);
    return err as UrlRefused;
  };

  it('vets every address a name resolves to: one private among public ones refuses the URL', async () => {
    const resolve = resolver({ 'mixed.example': ['93.184.216.34', '10.1.2.3'], 'public.example': ['93.184.216.34', '2606:4700:4700::1111'] });
    const guard = createGuard({ allowPrivate: false, resolve });
    const err = await refusal(guard.vet('https://mixed.example/hook'));
    // What a name resolves to is the server's network: neither the address nor its range is told.
    expect(err).toMatchObject({ blocked: true, message: 'The address of mixed.example is not allowed: it is not a public internet address.' });
    const ok = await guard.vet('https://public.example/hook');
    expect(ok.address).toEqual({ address: '93.184.216.34', family: 4 }); // the address the connection is pinned to
  });

  it('a name that does not resolve is refused (not blocked)', async () => {
    const err = await refusal(createGuard({ allowPrivate: false, resolve: resolver({}) }).vet('http://nowhere.example/'));
    expect(err).toMatchObject({ blocked: false, message: 'The host nowhere.example could not be resolved.' });
  });

  it.each(['http://localhost/', 'http://LOCALHOST./', 'http://api.localhost:8080/x'])('%s is loopback without asking DNS', async (url) => {
    const resolve = resolver({ localhost: ['93.184.216.34'] });
    expect((await refusal(createGuard({ allowPrivate: false, resolve }).vet(url))).message).toContain('loopback');
    expect(resolve).not.toHaveBeenCalled();
  });

  it.each([
    ['http://2130706433/', 'loopback'], ['http://0x7f.1/', 'loopback'], ['http://017700000001/', 'loopback'], ['http://127.1/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'cloud metadata'], ['http://169.254.169.254/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'], ['http://0/', '"this network"'], ['https://[fe80::1]/', 'link-local'],
  ])('numeric host %s is judged by its address → %s', async (url, range) => {
    const resolve = resolver({});
    expect((await refusal(createGuard({ allowPrivate: false, resolve }).vet(url))).message).toContain(range);
    expect(resolve).not.toHaveBeenCalled();
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'gopher://127.0.0.1:25/', 'javascript:alert(1)', 'data:text/plain,x', 'not a url', 'http://'])(
    '%j → refused whatever WEBHOOK_ALLOW_PRIVATE says',
    async (url) => {
      const err = await refusal(createGuard({ allowPrivate: true, resolve: resolver({}) }).vet(url));
      expect(err.blocked).toBe(false);
      expect(err.message).toMatch(/^(Only http and https URLs are allowed\.|This value is not a valid URL\.)$/);
    },
  );

  it('WEBHOOK_ALLOW_PRIVATE lifts only the address rule', async () => {
    const guard = createGuard({ allowPrivate: true, resolve: resolver({ 'intranet.example': ['10.0.0.5'] }) });
    expect((await guard.vet('http://intranet.example/')).address.address).toBe('10.0.0.5');
    expect((await guard.vet('http://127.0.0.1:9/')).address).toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('the connection goes to the vetted address, not to a second resolution of the name', async () => {
    // The resolver says localhost is 127.0.0.2, where the only listener is; the system's
    // resolution (127.0.0.1 / ::1) would find nothing there.
    const receiver = await startReceiver('127.0.0.2');
    try {
      const port = new URL(receiver.url()).port;
      const resolve = resolver({ localhost: ['127.0.0.2'] });
      const sender = createSender({ guard: createGuard({ allowPrivate: true, resolve }), timeoutMs: 2_000 });
      const outcome = await sender.send(`http://localhost:${port}/pinned`, '{}', {});
      sender.close();
      expect(outcome).toMatchObject({ status: 'delivered', responseCode: 200 });
      expect(resolve).toHaveBeenCalledTimes(1);
      expect(receiver.received.map((r) => [r.url, r.headers.host])).toEqual([['/pinned', `localhost:${port}`]]);
    } finally {
      await receiver.close();
    }
  });
});

describe('end to end with WEBHOOK_ALLOW_PRIVATE unset (loopback targets only)', () => {
  let t: TestApp;
  let receivers: Receiver[] = [];
  let targets: Array<{ name: string; url: string; receiver: Receiver | null }>;

  async function ipv6Loopback(): Promise<boolean> {
    const probe = createServer().listen(0, '::1');
    try {
      await once(probe, 'listening');
      return true;
    } catch {
      return false;
    } finally {
      probe.close();
    }
  }

  beforeAll(async () => {
    t = await buildTestApp(); // webhookAllowPrivate: false, the default
    const main = await startReceiver('127.0.0.1');
    const nines = await startReceiver('127.9.9.9');
    const six = (await ipv6Loopback()) ? await startReceiver('::1') : null;
    receivers = [main, nines, ...(six ? [six] : [])];
    const port = new URL(main.url()).port;
    targets = [
      { name: '127.0.0.1', url: main.url(), receiver: main },
      { name: '127.9.9.9', url: nines.url(), receiver: nines },
      { name: 'localhost', url: `http://localhost:${port}/hook`, receiver: main },
      { name: '[::1]', url: six ? six.url() : `http://[::1]:${port}/hook`, receiver: six },
    ];
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  it('POST /v1/webhooks refuses every loopback target with a 400 naming url; nothing is stored', async () => {
    const org = await factories(t.database, t.clock).org();
    const api = client(t.app, org.apiKey);
    for (const { url } of targets) {
      const res = await api.post('/v1/webhooks', { url, events: ['*'] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(2);
      expect(res.body.errors[1]).toEqual({ code: 'url', message: expect.stringMatching(/is not allowed: loopback \(/) });
    }
    expect((await api.get('/v1/webhooks')).body).toEqual({ data: [], meta: { total: 0 } });
  });

  it('a subscription to a loopback target is never connected to: every attempt is logged blocked', async () => {
    const f = factories(t.database, t.clock);
    const org = await f.org();
    const allowed = createGuard({ allowPrivate: true }); // only to store the rows; delivery uses the real guard
    const hooks = [];
    for (const target of targets) {
      hooks.push(await createWebhook(t.database, t.clock, allowed, org.id, createWebhookBody.parse({ url: target.url, events: '*' })));
    }
    await f.chat(org.id, { applicationId: org.applicationId }); // customer.new and chat.new, for every subscription
    const worker = createWebhookWorker({ database: t.database, clock: t.clock }, { config: { ...t.config, webhookTimeoutMs: 2_000 } });
    expect(await worker.drain()).toMatchObject({ attempted: 2 * targets.length });
    await worker.stop();
    const api = client(t.app, org.apiKey);
    for (const hook of hooks) {
      const log = (await api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data;
      // each event: attempt 1 blocked, attempt 2 pending (retried later, in case DNS changes)
      expect(log.map((e: { event: string; attempt: number; status: string }) => `${e.event} ${e.attempt} ${e.status}`).sort()).toEqual([
        'chat.new 1 blocked', 'chat.new 2 pending', 'customer.new 1 blocked', 'customer.new 2 pending',
      ]);
      for (const e of log.filter((x: { status: string }) => x.status === 'blocked')) {
        expect(e).toMatchObject({ responseCode: null, error: expect.stringContaining('loopback') });
      }
    }
    for (const target of targets) expect(target.receiver?.connections() ?? 0).toBe(0);
  });
});
