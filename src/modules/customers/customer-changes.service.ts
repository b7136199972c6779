// Customer changes (API.md §4.4): PUT/PATCH /v1/customers/{id}, PUT /v1/customers/batch,
// PUT/DELETE /v1/customers/{id}/tags, DELETE /v1/customers/{id}. Every change goes through
// changeCustomer, which writes the row, the tags and the customer.* outbox events in one
// transaction (DESIGN rules 2 and 7).
import { chatsDeleted } from '../../assignment/routing/triggers.ts';
import type { Database, Trx } from '../../db/database.ts';
import { Invalid, NotFound, type ErrorItem } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { appendCustomerEvents, customerChangeEvents } from './customer-outbox.ts';
import { customerChanges, nextTags, sameTags, type TagChange } from './customer-values.ts';
import { presentCustomer, type Customer } from './customers.presenter.ts';
import * as repo from './customers.repository.ts';
import type { BatchItem, TagInput, UpdateCustomerInput } from './customers.schema.ts';
import { guardUserId, readCustomer, userIdInUse } from './customers.service.ts';

interface Change {
  fields: Omit<UpdateCustomerInput, 'tags'>;
  tags?: TagChange;
  /** for a batch item, its place (`[2]`): named in a duplicate-userId answer */
  at?: string;
}

const NO_FIELDS = {} as Change['fields'];

/** The one path of every customer change; the customer is known to exist in the organization. */
async function changeCustomer(trx: Trx, clock: Clock, orgId: number, customerId: number, change: Change): Promise<Customer> {
  await repo.lockCustomer(trx, orgId, customerId);
  const row = await repo.findCustomer(trx, orgId, customerId);
  if (!row) throw new NotFound('Customer', customerId);
  const tagsBefore = await repo.customerTags(trx, orgId, customerId);
  const before = presentCustomer(row, tagsBefore);

  const { userId } = change.fields;
  if (typeof userId === 'string' && (await repo.userIdTaken(trx, orgId, userId, customerId))) throw userIdInUse(change.at);
  const now = clock.now();
  const values = customerChanges(row, change.fields, now);
  if (Object.keys(values).length > 0) await guardUserId(() => repo.updateCustomer(trx, orgId, customerId, values), change.at);
  if (change.tags) {
    const tags = nextTags(tagsBefore, change.tags);
    if (!sameTags(tags, tagsBefore)) await repo.replaceCustomerTags(trx, orgId, customerId, tags);
  }

  const after = await readCustomer(trx, orgId, customerId);
  await appendCustomerEvents(trx, orgId, customerChangeEvents(before, after), after, now);
  return after;
}

const fromInput = ({ tags, ...fields }: UpdateCustomerInput): Change => ({
  fields,
  // `tags: null` clears them, `tags: [...]` replaces them (docs/compatibility.md)
  tags: tags === undefined ? undefined : { replace: tags ?? [] },
});

/** PUT and PATCH /v1/customers/{id}: the same partial update (API.md §4.4) */
export function updateCustomer(database: Database, clock: Clock, orgId: number, customerId: number, input: UpdateCustomerInput) {
  return database.write((trx) => changeCustomer(trx, clock, orgId, customerId, fromInput(input)));
}

/**
 * PUT /v1/customers/batch: all or nothing, in one transaction; answers in request order
 * (API.md §5), each item's customer as it is after that item. Every unknown `customer` is
 * reported in one 400 before anything is written.
 */
export function updateCustomers(database: Database, clock: Clock, orgId: number, items: BatchItem[]) {
  return database.write(async (trx) => {
    const known = await repo.existingCustomerIds(trx, orgId, items.map((i) => i.customer));
    const missing: ErrorItem[] = items.flatMap((item, i) =>
      known.has(item.customer) ? [] : [{ code: `[${i}].customer`, message: `Customer for ID "${item.customer}" was not found` }],
    );
    if (missing.length > 0) throw new Invalid(missing);
    const data: Customer[] = [];
    for (const [i, { customer, ...input }] of items.entries()) {
      data.push(await changeCustomer(trx, clock, orgId, customer, { ...fromInput(input), at: `[${i}]` }));
    }
    return data;
  });
}

/** PUT /v1/customers/{id}/tags: add (idempotent: a tag already there changes nothing) */
export function addTags(database: Database, clock: Clock, orgId: number, customerId: number, tags: TagInput[]) {
  return database.write((trx) => changeCustomer(trx, clock, orgId, customerId, { fields: NO_FIELDS, tags: { add: tags } }));
}

/** DELETE /v1/customers/{id}/tags: remove by name (a tag the customer lacks is no error) */
export function removeTags(database: Database, clock: Clock, orgId: number, customerId: number, tags: TagInput[]) {
  const remove = tags.map((t) => t.name);
  return database.write((trx) => changeCustomer(trx, clock, orgId, customerId, { fields: NO_FIELDS, tags: { remove } }));
}

/**
 * DELETE /v1/customers/{id}: the customer, their tags and events, their chats and the chats'
 * messages, agents and history go (FK cascades); `customer.deleted` carries the customer as
 * they were. Outbox rows stay: they are the event log webhooks deliver from.
 */
export function deleteCustomer(database: Database, clock: Clock, orgId: number, customerId: number) {
  return database.write(async (trx) => {
    await repo.lockCustomer(trx, orgId, customerId);
    const row = await repo.findCustomer(trx, orgId, customerId);
    if (!row) throw new NotFound('Customer', customerId);
    const customer = presentCustomer(row, await repo.customerTags(trx, orgId, customerId));
    await repo.deleteCustomer(trx, orgId, customerId);
    await appendCustomerEvents(trx, orgId, ['customer.deleted'], customer, clock.now());
    await chatsDeleted(trx, clock.now(), orgId); // their chats held seats the queue may now take
  });
}
