import type { Database, Executor } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { presentCustomer } from './customers.presenter.ts';
import * as repo from './customers.repository.ts';
import { DEFAULT_TAG_COLOR, type CreateCustomerInput } from './customers.schema.ts';

/** API.md §4.4: a duplicate userId is a 400 whose *first* item is this one. */
const USER_ID_IN_USE = new Invalid([{ code: 'invalid_userId_value', message: 'userId value is already in use' }], true);

export function createCustomer(database: Database, clock: Clock, orgId: number, input: CreateCustomerInput) {
  return database.write(async (trx) => {
    if (input.userId !== undefined && (await repo.userIdTaken(trx, orgId, input.userId))) throw USER_ID_IN_USE;
    const now = clock.now();
    const id = await repo.insertCustomer(trx, {
      organization_id: orgId,
      name: input.name ?? null,
      email: input.email ?? null,
      user_id: input.userId ?? null,
      company: input.company ?? null,
      phone: input.phone ?? null,
      first_seen: input.firstSeen ?? now,
      last_seen: input.lastSeen ?? null,
      region_code: input.location?.regionCode ?? null,
      country_code: input.location?.countryCode ?? null,
      city: input.location?.city ?? null,
      device: input.device ? JSON.stringify(input.device) : null,
      unsubscribed: input.unsubscribed ? 1 : 0,
      blocked: input.blocked ? 1 : 0,
      source: input.source ?? null,
      referer: input.referer ?? null,
      last_page: input.lastPage ?? null,
      locale: input.locale ?? null,
      created_from: input.createdFrom ?? 'api',
      integration_id: input.integrationId ?? null,
      notes: input.notes ?? null,
      custom_data: JSON.stringify(input.customData ?? {}),
      created_at: now,
      updated_at: now,
    });
    await repo.addCustomerTags(trx, orgId, id, (input.tags ?? []).map((t) => ({ name: t.name, color: t.color ?? DEFAULT_TAG_COLOR })));
    return getCustomer(trx, orgId, id);
  });
}

export async function getCustomer(db: Executor, orgId: number, customerId: number) {
  const row = await repo.findCustomer(db, orgId, customerId);
  if (!row) throw new NotFound('Customer', customerId);
  return presentCustomer(row, await repo.customerTags(db, orgId, customerId));
}
