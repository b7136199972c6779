// The demo seed (issue 2: an empty database gets a demo organization on start) is one
// transaction: cut off half-way, it leaves the database empty, so the next start seeds again
// and prints the key instead of finding a half-made organization and printing nothing.
import { afterEach, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import type { Clock } from '../src/lib/clock.ts';
import { countOrganizations } from '../src/modules/organizations/organizations.repository.ts';
import { signIn } from '../src/modules/sessions/sessions.service.ts';
import { freshDatabase, T0, type TestDatabase } from './helpers/app.ts';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) {
    await d.database.close();
    await d.drop();
  }
});

/** a clock that counts its readings and throws on reading number `failAt` */
function clock(failAt = Infinity): Clock & { readings: number } {
  const c = {
    readings: 0,
    now() {
      if (++c.readings >= failAt) throw new Error('the process was cut off');
      return T0;
    },
  };
  return c;
}

it('a seed cut off half-way leaves no organization; the next one seeds the whole demo', async () => {
  const counting = clock();
  const reference = await freshDatabase();
  opened.push(reference);
  await seedDemo(reference.database, counting);
  expect(counting.readings).toBeGreaterThan(10); // enough steps for "half-way" to be after the organization

  const d = await freshDatabase();
  opened.push(d);
  await expect(seedDemo(d.database, clock(Math.floor(counting.readings / 2)))).rejects.toThrow('the process was cut off');
  expect(await countOrganizations(d.database.db)).toBe(0);
  for (const table of ['agents', 'departments', 'customers', 'chats', 'api_keys', 'assignments', 'outbox'] as const) {
    const { n } = await d.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect([table, Number(n)]).toEqual([table, 0]);
  }

  const demo = await seedDemo(d.database, clock());
  expect(await countOrganizations(d.database.db)).toBe(1);
  expect(demo.agentIds).toHaveLength(3);
  expect(demo.chatIds).toHaveLength(10);
});

it("the demo's admin and a plain agent get passwords that sign in to the inbox", async () => {
  const d = await freshDatabase();
  opened.push(d);
  const demo = await seedDemo(d.database, clock());
  expect(demo.signIns.map((s) => [s.email, s.role])).toEqual([
    ['alice@demo.handoff.local', 'admin'],
    ['bob@demo.handoff.local', 'agent'],
  ]);
  for (const [i, s] of demo.signIns.entries()) {
    expect(s.password).toMatch(/^[\w-]{20}$/);
    const { answer } = await signIn(d.database, clock(), { email: s.email, password: s.password, address: '127.0.0.1', userAgent: 'test' });
    expect(answer.data.agent).toMatchObject({ id: demo.agentIds[i], email: s.email, role: s.role });
    expect(answer.data.organization.id).toBe(demo.orgId);
  }
  const withPassword = await d.database.db.selectFrom('agents').select('email').where('password_hash', 'is not', null).orderBy('id').execute();
  expect(withPassword.map((a) => a.email)).toEqual(demo.signIns.map((s) => s.email)); // the supervisor has none
});
