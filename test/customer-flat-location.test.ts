// The flat `city`, `regionCode`, `countryCode` of HelpCrunch's older reference, read into the
// Customer's `location` on POST, PUT, PATCH and batch items (docs/compatibility.md, Customers):
// `location` wins key by key where it states the same key; null and "" clear; the same limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await factories(t.database, t.clock).org();
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

const KYIV = { regionCode: 'KV', countryCode: 'UA', city: 'Kyiv' };
const create = async (body: Record<string, unknown> = {}) => {
  const res = await api.post('/v1/customers', body);
  expect(res.status).toBe(201);
  return res.body as { id: number; location: Record<string, string | null> };
};
const stored = async (id: number) => (await api.get(`/v1/customers/${id}`)).body.location;

describe('POST /v1/customers', () => {
  it('flat fields are stored in location', async () => {
    const c = await create({ ...KYIV });
    expect(c.location).toEqual(KYIV);
    expect(await stored(c.id)).toEqual(KYIV);
  });

  it('location wins key by key; flat fill the keys location does not state; "" stores nothing', async () => {
    const c = await create({ location: { city: 'Lviv' }, city: 'Kyiv', countryCode: 'UA', regionCode: '' });
    expect(c.location).toEqual({ regionCode: null, countryCode: 'UA', city: 'Lviv' });
  });

  it('location: null states every key: the flat fields beside it are not stored', async () => {
    expect((await create({ location: null, city: 'Kyiv' })).location).toEqual({ regionCode: null, countryCode: null, city: null });
  });
});

describe.each(['PUT', 'PATCH'] as const)('%s /v1/customers/{id}', (method) => {
  const send = (id: number, body: unknown) => (method === 'PUT' ? api.put(`/v1/customers/${id}`, body) : api.patch(`/v1/customers/${id}`, body));

  it('a flat field changes only its key of location; the others stay', async () => {
    const c = await create({ location: KYIV });
    const res = await send(c.id, { city: 'Odesa' });
    expect(res.status).toBe(200);
    expect(res.body.location).toEqual({ ...KYIV, city: 'Odesa' });
    expect(await stored(c.id)).toEqual({ ...KYIV, city: 'Odesa' });
  });

  it('null and "" clear a key', async () => {
    const c = await create({ location: KYIV });
    expect((await send(c.id, { city: null, regionCode: '' })).body.location).toEqual({ regionCode: null, countryCode: 'UA', city: null });
  });

  it('location.city beside a flat city: location wins; location: null clears all whatever the flat fields say', async () => {
    const c = await create({ location: KYIV });
    expect((await send(c.id, { location: { city: 'Lviv' }, city: 'Odesa', countryCode: 'PL' })).body.location).toEqual({ regionCode: 'KV', countryCode: 'PL', city: 'Lviv' });
    expect((await send(c.id, { location: null, city: 'Odesa' })).body.location).toEqual({ regionCode: null, countryCode: null, city: null });
  });

  it('the same limits as location: at most 255 characters, strings only, no NUL — 400 naming the flat field, nothing changes', async () => {
    const c = await create({ location: KYIV });
    expect400(
      await send(c.id, { city: 'x'.repeat(256), countryCode: 5, regionCode: ['KV'] }),
      { code: 'regionCode', message: 'This value should be of type string.' },
      { code: 'countryCode', message: 'This value should be of type string.' },
      { code: 'city', message: 'This value is too long. It should have 255 characters or less.' },
    );
    expect400(await send(c.id, { city: 'Ky\u0000iv' }), { code: 'city', message: 'This value should not contain the NUL character (U+0000).' });
    expect((await send(c.id, { city: 'x'.repeat(255) })).status).toBe(200);
    await send(c.id, { city: 'Kyiv' });
    expect(await stored(c.id)).toEqual(KYIV);
  });
});

describe('PUT /v1/customers/batch', () => {
  it('flat fields in items are stored in location, item by item; a bad one is named by its place', async () => {
    const a = await create({ location: KYIV });
    const b = await create();
    const res = await api.put('/v1/customers/batch', [{ customer: a.id, countryCode: 'PL' }, { customer: b.id, city: 'Lviv', location: { regionCode: 'LV' } }]);
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { location: unknown }) => c.location)).toEqual([
      { ...KYIV, countryCode: 'PL' },
      { regionCode: 'LV', countryCode: null, city: 'Lviv' },
    ]);
    expect400(await api.put('/v1/customers/batch', [{ customer: a.id, city: 'y'.repeat(256) }]), { code: '[0].city', message: 'This value is too long. It should have 255 characters or less.' });
    expect(await stored(a.id)).toEqual({ ...KYIV, countryCode: 'PL' });
  });
});
