// GET/PUT /v1/organization/routing and /v1/departments/{id}/routing [ext] (API.md §4.7): the
// policy as stored, omitted keys keeping their value, a department inheriting the
// organization's, every failing field in one 400, and the drain a change schedules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

const POLICY_KEYS = ['strategy', 'capacity', 'onlineOnly', 'sticky', 'reassignAfterMinutes', 'offlineGraceMinutes'];
const DEFAULTS = { strategy: 'manual', capacity: null, onlineOnly: true, sticky: false, reassignAfterMinutes: null, offlineGraceMinutes: 5 };
const FULL = { strategy: 'least_busy', capacity: 4, onlineOnly: false, sticky: true, reassignAfterMinutes: 10, offlineGraceMinutes: 0 };
const CHOICE = 'The value you selected is not a valid choice.';
const BLANK = 'This value should not be blank.';

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function world() {
  const org = await f.org();
  const sales = await f.department(org.id, 'Sales');
  const support = await f.department(org.id, 'Support');
  return { org, api: client(t.app, org.apiKey), sales, support };
}

const rows = (orgId: number) =>
  t.database.db.selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).orderBy('department_id').execute();
const queuedAt = async (chatId: number) => (await t.database.db.selectFrom('chats').select('queued_at').where('id', '=', chatId).executeTakeFirstOrThrow()).queued_at;
const jobs = (orgId: number) => t.database.db.selectFrom('routing_jobs').select(['kind', 'due_at']).where('organization_id', '=', orgId).execute();

describe('GET/PUT /v1/organization/routing', () => {
  it('nothing stored: GET answers the defaults of API.md §4.7, keys in its order', async () => {
    const { api, org } = await world();
    const res = await api.get('/v1/organization/routing');
    expectExact(res, 200, DEFAULTS);
    expect(Object.keys(res.body)).toEqual(POLICY_KEYS);
    expect(await rows(org.id)).toEqual([]);
  });

  it('PUT with every key stores and answers it; GET reads it back', async () => {
    const { api, org } = await world();
    expectExact(await api.put('/v1/organization/routing', FULL), 200, FULL);
    expectExact(await api.get('/v1/organization/routing'), 200, FULL);
    expect(await rows(org.id)).toMatchObject([
      { department_id: 0, strategy: 'least_busy', capacity: 4, online_only: 0, sticky: 1, reassign_after_minutes: 10, offline_grace_minutes: 0, updated_at: T0 },
    ]);
  });

  it('omitted keys keep their value: the first PUT over the defaults, the next over what is stored', async () => {
    const { api } = await world();
    expectExact(await api.put('/v1/organization/routing', { strategy: 'round_robin' }), 200, { ...DEFAULTS, strategy: 'round_robin' });
    expectExact(await api.put('/v1/organization/routing', { capacity: 3, sticky: true }), 200, { ...DEFAULTS, strategy: 'round_robin', capacity: 3, sticky: true });
    expectExact(await api.put('/v1/organization/routing', {}), 200, { ...DEFAULTS, strategy: 'round_robin', capacity: 3, sticky: true });
    expectExact(await api.put('/v1/organization/routing', { reassignAfterMinutes: 15, unknown: 'ignored' }), 200, {
      ...DEFAULTS, strategy: 'round_robin', capacity: 3, sticky: true, reassignAfterMinutes: 15,
    });
    expectExact(await api.get('/v1/organization/routing'), 200, { ...DEFAULTS, strategy: 'round_robin', capacity: 3, sticky: true, reassignAfterMinutes: 15 });
  });

  it('null clears capacity (unlimited) and reassignAfterMinutes (never)', async () => {
    const { api } = await world();
    await api.put('/v1/organization/routing', { capacity: 3, reassignAfterMinutes: 15 });
    expectExact(await api.put('/v1/organization/routing', { capacity: null, reassignAfterMinutes: null }), 200, DEFAULTS);
  });

  it('integers may be digit strings (API.md §1); the bounds are accepted', async () => {
    const { api } = await world();
    const res = await api.put('/v1/organization/routing', { capacity: '1', reassignAfterMinutes: '1', offlineGraceMinutes: '0' });
    expectExact(res, 200, { ...DEFAULTS, capacity: 1, reassignAfterMinutes: 1, offlineGraceMinutes: 0 });
  });

  it('every failing field in one 400, in the order of API.md §4.7; nothing stored', async () => {
    const { api, org } = await world();
    const bad = { strategy: 'fifo', capacity: 0, onlineOnly: 'yes', sticky: 1, reassignAfterMinutes: 0, offlineGraceMinutes: -1 };
    expect400(
      await api.put('/v1/organization/routing', bad),
      { code: 'strategy', message: CHOICE },
      { code: 'capacity', message: 'This value should be positive.' },
      { code: 'onlineOnly', message: 'This value should be of type boolean.' },
      { code: 'sticky', message: 'This value should be of type boolean.' },
      { code: 'reassignAfterMinutes', message: 'This value should be positive.' },
      { code: 'offlineGraceMinutes', message: 'This value should be either positive or zero.' },
    );
    expect(await rows(org.id)).toEqual([]);
    expect(await jobs(org.id)).toEqual([]);
  });

  it('null where a value is required is blank; a partly valid body stores nothing', async () => {
    const { api, org } = await world();
    expect400(
      await api.put('/v1/organization/routing', { strategy: null, onlineOnly: null, sticky: null, offlineGraceMinutes: null }),
      { code: 'strategy', message: BLANK },
      { code: 'onlineOnly', message: BLANK },
      { code: 'sticky', message: BLANK },
      { code: 'offlineGraceMinutes', message: BLANK },
    );
    expect400(await api.put('/v1/organization/routing', { strategy: 'round_robin', capacity: 2.5 }), { code: 'capacity', message: 'This value should be of type integer.' });
    expect400(await api.put('/v1/organization/routing', { strategy: '' }), { code: 'strategy', message: BLANK });
    expect400(await api.put('/v1/organization/routing', { strategy: 'ROUND_ROBIN' }), { code: 'strategy', message: CHOICE });
    expect400(await api.put('/v1/organization/routing', { offlineGraceMinutes: 'soon' }), { code: 'offlineGraceMinutes', message: 'This value should be of type numeric.' });
    expect400(await api.put('/v1/organization/routing', { reassignAfterMinutes: 2_147_483_648 }), {
      code: 'reassignAfterMinutes', message: 'This value should be less than or equal to 2147483647.',
    });
    expect400(await api.put('/v1/organization/routing', [FULL]), { code: 'body', message: 'This value should be of type object.' });
    expect(await rows(org.id)).toEqual([]);
  });

  it("a PUT drains the queue (seats may be free); another organization's policy is its own", async () => {
    const { api, org } = await world();
    const other = await world();
    const unassigned = await f.chat(org.id, { applicationId: org.applicationId }); // waits for nobody under manual
    expect(await queuedAt(unassigned.id)).toBeNull();
    t.clock.set(T0 + 45);
    await api.put('/v1/organization/routing', { strategy: 'round_robin' });
    // the chats the policy now routes join the queue (in creation order), and the queue drains
    expect(await queuedAt(unassigned.id)).toBe(T0);
    expect(await jobs(org.id)).toEqual([{ kind: 'drain', due_at: T0 + 45 }]);
    await api.put('/v1/organization/routing', { strategy: 'manual' });
    expect(await queuedAt(unassigned.id)).toBeNull(); // a manual policy keeps no queue
    expect(await jobs(other.org.id)).toEqual([]);
    expectExact(await other.api.get('/v1/organization/routing'), 200, DEFAULTS);
    t.clock.set(T0);
  });

  it('concurrent partial PUTs keep each other\'s keys', async () => {
    const { api } = await world();
    const puts = [{ strategy: 'round_robin' }, { capacity: 7 }, { sticky: true }, { reassignAfterMinutes: 9 }, { offlineGraceMinutes: 11 }, { onlineOnly: false }];
    const answers = await Promise.all(puts.map((body) => api.put('/v1/organization/routing', body)));
    expect(answers.map((r) => r.status)).toEqual(puts.map(() => 200));
    expectExact(await api.get('/v1/organization/routing'), 200, {
      strategy: 'round_robin', capacity: 7, onlineOnly: false, sticky: true, reassignAfterMinutes: 9, offlineGraceMinutes: 11,
    });
  });
});

describe('GET/PUT /v1/departments/{id}/routing', () => {
  it('a department without its own policy answers the one it inherits: the defaults, then the organization\'s', async () => {
    const { api, sales } = await world();
    expectExact(await api.get(`/v1/departments/${sales.id}/routing`), 200, DEFAULTS);
    await api.put('/v1/organization/routing', FULL);
    expectExact(await api.get(`/v1/departments/${sales.id}/routing`), 200, FULL);
  });

  it("a first PUT starts from the organization's policy; from then on the department keeps its own", async () => {
    const { api, org, sales, support } = await world();
    await api.put('/v1/organization/routing', { strategy: 'round_robin', capacity: 3 });
    expectExact(await api.put(`/v1/departments/${sales.id}/routing`, { sticky: true }), 200, { ...DEFAULTS, strategy: 'round_robin', capacity: 3, sticky: true });
    expectExact(await api.put(`/v1/departments/${sales.id}/routing`, { capacity: null }), 200, { ...DEFAULTS, strategy: 'round_robin', sticky: true });

    // the organization's later changes reach the departments without their own policy only
    await api.put('/v1/organization/routing', { strategy: 'least_busy' });
    expectExact(await api.get(`/v1/departments/${sales.id}/routing`), 200, { ...DEFAULTS, strategy: 'round_robin', sticky: true });
    expectExact(await api.get(`/v1/departments/${support.id}/routing`), 200, { ...DEFAULTS, strategy: 'least_busy', capacity: 3 });
    expectExact(await api.get('/v1/organization/routing'), 200, { ...DEFAULTS, strategy: 'least_busy', capacity: 3 });
    expect((await rows(org.id)).map((r) => r.department_id)).toEqual([0, sales.id]);
  });

  it('a first PUT with nothing stored for the organization starts from the defaults', async () => {
    const { api, org, sales } = await world();
    expectExact(await api.put(`/v1/departments/${sales.id}/routing`, { strategy: 'round_robin' }), 200, { ...DEFAULTS, strategy: 'round_robin' });
    expectExact(await api.get('/v1/organization/routing'), 200, DEFAULTS);
    expect((await rows(org.id)).map((r) => r.department_id)).toEqual([sales.id]);
  });

  it('unknown, foreign or non-numeric department → the general 404 Department not found; nothing stored', async () => {
    const { api, org } = await world();
    const other = await world();
    for (const id of [99_999_999, other.sales.id, 'abc', 0]) {
      expectError(await api.get(`/v1/departments/${id}/routing`), 404, INVALID, { code: 'not_found', message: 'Department not found' });
      expectError(await api.put(`/v1/departments/${id}/routing`, { strategy: 'round_robin' }), 404, INVALID, { code: 'not_found', message: 'Department not found' });
    }
    expect(await rows(org.id)).toEqual([]);
    expect(await rows(other.org.id)).toEqual([]);
    expect(await jobs(org.id)).toEqual([]);
  });

  it('field shapes come before the 404 (API.md §5); every failing field is named', async () => {
    const { api, sales } = await world();
    expect400(await api.put('/v1/departments/99999999/routing', { strategy: 'fifo' }), { code: 'strategy', message: CHOICE });
    expect400(
      await api.put(`/v1/departments/${sales.id}/routing`, { capacity: -1, offlineGraceMinutes: 1.5 }),
      { code: 'capacity', message: 'This value should be positive.' },
      { code: 'offlineGraceMinutes', message: 'This value should be of type integer.' },
    );
  });

  it('a department PUT drains the queue too', async () => {
    const { api, org, sales } = await world();
    const inSales = await f.chat(org.id, { applicationId: org.applicationId, department: sales.id });
    const outside = await f.chat(org.id, { applicationId: org.applicationId });
    await api.put(`/v1/departments/${sales.id}/routing`, { strategy: 'least_busy', capacity: 2 });
    expect(await jobs(org.id)).toEqual([{ kind: 'drain', due_at: T0 }]);
    expect([await queuedAt(inSales.id), await queuedAt(outside.id)]).toEqual([T0, null]); // only the department's chats
  });
});
