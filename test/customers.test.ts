// POST /v1/customers (API.md §3 Customer, §4.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await factories(t.database, t.clock).org();
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

describe('POST /v1/customers', () => {
  it('creates a customer with every field → 201, keys in the order of API.md §3', async () => {
    const res = await api.post('/v1/customers', {
      name: 'Ann Lee',
      email: 'ann@example.test',
      userId: 'crm-1',
      company: 'Acme',
      phone: '+380501234567',
      firstSeen: '1603864800.000',
      lastSeen: 1603868400,
      location: { regionCode: 'KV', countryCode: 'UA', city: 'Kyiv' },
      device: { id: 'd1', ip: '127.0.0.1', timezone: 'Europe/Kyiv', platform: 'web', userAgent: 'curl/8' },
      unsubscribed: true,
      blocked: false,
      source: 'widget',
      referer: 'https://example.test/',
      lastPage: 'https://example.test/pricing',
      locale: 'uk',
      createdFrom: 'api',
      integrationId: '12',
      notes: 'VIP',
      tags: [{ name: 'vip' }, { name: 'paid', color: '#00ff00' }],
      customData: [{ property: 'plan', value: 'pro' }, { property: 'seats', value: 5 }],
      ignored: 'unknown fields are ignored',
    });
    expectExact(res, 201, {
      id: res.body.id,
      name: 'Ann Lee',
      email: 'ann@example.test',
      userId: 'crm-1',
      company: 'Acme',
      phone: '+380501234567',
      firstSeen: '1603864800',
      lastSeen: '1603868400',
      location: { regionCode: 'KV', countryCode: 'UA', city: 'Kyiv' },
      device: { id: 'd1', ip: '127.0.0.1', timezone: 'Europe/Kyiv', platform: 'web', userAgent: 'curl/8' },
      unsubscribed: true,
      blocked: false,
      source: 'widget',
      referer: 'https://example.test/',
      lastPage: 'https://example.test/pricing',
      locale: 'uk',
      createdFrom: 'api',
      integrationId: 12,
      notes: 'VIP',
      tags: [{ name: 'paid', color: '#00ff00' }, { name: 'vip', color: '#c377e0' }],
      customData: { plan: 'pro', seats: 5 },
    });
  });

  it('an empty body creates an anonymous customer first seen now; customData as a map', async () => {
    const res = await api.post('/v1/customers', { customData: { plan: 'free', trial: true } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: null, email: null, userId: null, firstSeen: String(T0), lastSeen: null, device: null, tags: [], customData: { plan: 'free', trial: true } });
  });

  it('duplicate userId → 400 whose first item is invalid_userId_value', async () => {
    expect((await api.post('/v1/customers', { userId: 'dup' })).status).toBe(201);
    const res = await api.post('/v1/customers', { userId: 'dup', name: 'Second' });
    expectError(res, 400, { code: 'invalid_userId_value', message: 'userId value is already in use' });
    const rows = await t.database.db.selectFrom('customers').select('id').where('user_id', '=', 'dup').execute();
    expect(rows).toHaveLength(1);
  });

  it('the same userId in another organization is fine', async () => {
    const other = await factories(t.database, t.clock).org();
    expect((await client(t.app, other.apiKey).post('/v1/customers', { userId: 'dup' })).status).toBe(201);
  });

  it('wrong types → one 400 naming every field', async () => {
    expect400(
      await api.post('/v1/customers', { name: 5, email: 'not-an-email', unsubscribed: 'yes', firstSeen: 'yesterday', customData: 'x', tags: 'vip' }),
      { code: 'name', message: 'This value should be of type string.' },
      { code: 'email', message: 'This value is not a valid email address.' },
      { code: 'firstSeen', message: 'This value should be of type numeric.' },
      { code: 'unsubscribed', message: 'This value should be of type boolean.' },
      { code: 'tags', message: 'This value should be of type array.' },
      { code: 'customData', message: 'This value should be of type object.' },
    );
  });

  it('a JSON array body → 400 on body', async () => {
    expectError(await api.post('/v1/customers', '[]'), 400, INVALID, { code: 'body', message: 'This value should be of type object.' });
  });
});
