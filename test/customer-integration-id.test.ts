// `integrationId` of a Customer: a string in HelpCrunch's reference ("465847687"), stored as an
// integer. Accepted as an integer or a digit string; answered as a digit string (null stays
// null) wherever a Customer is shown: answers, lists, searches, batch answers and the outbox
// eventData that webhooks and the event stream send. docs/compatibility.md, Customers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;
let orgId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await factories(t.database, t.clock).org();
  orgId = org.id;
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

const lastEvent = async () =>
  JSON.parse((await t.database.db.selectFrom('outbox').select('event_data').where('organization_id', '=', orgId).orderBy('id', 'desc').executeTakeFirstOrThrow()).event_data);

describe('integrationId in and out', () => {
  it.each([
    [465847687, '465847687'],
    ['465847687', '465847687'],
    ['007', '7'],
  ])('POST %j → 201 with integrationId %j, and customer.new carries the same', async (sent, answered) => {
    const res = await api.post('/v1/customers', { integrationId: sent });
    expect(res.status).toBe(201);
    expect(res.body.integrationId).toBe(answered);
    expect((await lastEvent()).customer.integrationId).toBe(answered);
  });

  it('absent or null → null', async () => {
    expect((await api.post('/v1/customers', {})).body.integrationId).toBeNull();
    expect((await api.post('/v1/customers', { integrationId: null })).body.integrationId).toBeNull();
  });

  it.each(['abc', '12a', '1.5', '', true])('a value that is not an integer (%j) → 400 naming integrationId, nothing stored', async (sent) => {
    const before = await t.database.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await api.post('/v1/customers', { integrationId: sent });
    if (sent === '') expect(res.status).toBe(400);
    else expect400(res, { code: 'integrationId', message: sent === '1.5' ? 'This value should be of type integer.' : 'This value should be of type numeric.' });
    const after = await t.database.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('GET, list, search, PUT, PATCH, batch and their events all answer the string', async () => {
    const c = (await api.post('/v1/customers', { userId: 'int-1', integrationId: 11 })).body;
    expect((await api.get(`/v1/customers/${c.id}`)).body.integrationId).toBe('11');
    const list = (await api.get('/v1/customers?limit=100')).body.data.find((x: { id: number }) => x.id === c.id);
    expect(list.integrationId).toBe('11');
    const found = await api.post('/v1/customers/search', { filter: [{ field: 'customers.userId', operator: '=', value: 'int-1' }] });
    expect(found.body.data.map((x: { integrationId: unknown }) => x.integrationId)).toEqual(['11']);

    const put = await api.put(`/v1/customers/${c.id}`, { integrationId: '12', email: 'int1@example.test' });
    expect(put.body.integrationId).toBe('12');
    expect((await lastEvent()).customer.integrationId).toBe('12'); // customer.email_updated
    expect((await api.patch(`/v1/customers/${c.id}`, { integrationId: 13 })).body.integrationId).toBe('13');

    const batch = await api.put('/v1/customers/batch', [{ customer: c.id, integrationId: '14' }, { customer: c.id, integrationId: null }]);
    expect(batch.status).toBe(200);
    expect(batch.body.data.map((x: { integrationId: unknown }) => x.integrationId)).toEqual(['14', null]);
    expect((await api.get(`/v1/customers/${c.id}`)).body.integrationId).toBeNull();

    await api.put(`/v1/customers/${c.id}`, { integrationId: 15 });
    expect((await api.delete(`/v1/customers/${c.id}`)).status).toBe(200);
    const deleted = await lastEvent(); // customer.deleted: the customer as it was
    expect(deleted.customer.integrationId).toBe('15');
  });
});
