// A condition on the chat's customer (email, userId) is run in one of two SQL forms (search/sql.ts
// `customers`): the matching customers first (`in`) or each chat's own customer (`exists`);
// the service picks by how many chats match. Both must give the same pages and counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChatSearch } from '../src/modules/chats/chat-search.schema.ts';
import { countChats, searchChatIds } from '../src/modules/chats/chat-search.repository.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let orgId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org();
  const other = await f.org();
  orgId = org.id;
  const emails = ['ann@gmail.com', 'BOB@GMAIL.COM', 'cy_50%@corp.test', null, 'dee@mail.ru', 'x\\y@corp.test'];
  for (const [i, email] of emails.entries()) {
    const c = await f.customer(org.id, { email, userId: i % 2 ? `u-${i}` : null });
    for (let k = 0; k <= i % 3; k++) {
      t.clock.advance(i % 2 ? 0 : 7); // ties on createdAt too
      await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    }
  }
  // another organization's gmail customer must never leak in, whichever form runs
  const foreign = await f.customer(other.id, { email: 'zed@gmail.com' });
  await f.chat(other.id, { applicationId: other.applicationId, customerId: foreign.id });
});
afterAll(() => t.close());

const FILTERS = [
  [{ field: 'chats.customer.email', operator: '~', value: 'gmail' }],
  [{ field: 'chats.customer.email', operator: '!~', value: 'gmail' }],
  [{ field: 'chats.customer.email', operator: '~', value: '_50%' }],
  [{ field: 'chats.customer.email', operator: '=', value: 'dee@mail.ru' }],
  [{ field: 'chats.customer.email', operator: '!=', value: 'dee@mail.ru' }],
  [{ field: 'chats.customer.userId', operator: '~', value: 'u-' }, { field: 'chats.status', operator: '=', value: 'empty' }],
];

describe('customer conditions: the `in` and `exists` forms agree', () => {
  for (const [i, filter] of FILTERS.entries()) {
    for (const comparison of ['AND', 'OR']) {
      it(`filter ${i} (${comparison}), both orders, several pages`, async () => {
        for (const order of ['asc', 'desc']) {
          const { filter: parsed, sort } = parseChatSearch({ filter, comparison, order });
          const all = await searchChatIds(t.database.db, orgId, parsed, sort, { offset: 0, limit: 100 }, { customers: 'in' });
          expect(await countChats(t.database.db, orgId, parsed)).toBe(all.length);
          for (const offset of [0, 1, 3]) {
            const page = { offset, limit: 2 };
            const viaIn = await searchChatIds(t.database.db, orgId, parsed, sort, page, { customers: 'in' });
            const viaExists = await searchChatIds(t.database.db, orgId, parsed, sort, page, { customers: 'exists' });
            expect(viaExists).toEqual(viaIn);
            expect(viaIn).toEqual(all.slice(offset, offset + 2));
          }
        }
      });
    }
  }

});
