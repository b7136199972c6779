// Factories with overrides (DESIGN rule 9). They go through the same services as the API and
// the CLI, so test data obeys the same rules as real data.
import type { Database } from '../../src/db/database.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createAgent, deactivateAgent } from '../../src/modules/agents/agents.service.ts';
import { createChat } from '../../src/modules/chats/chats.service.ts';
import { createCustomerBody } from '../../src/modules/customers/customers.schema.ts';
import { createCustomer } from '../../src/modules/customers/customers.service.ts';
import { createDepartment } from '../../src/modules/departments/departments.service.ts';
import { createOrganization } from '../../src/modules/organizations/organizations.service.ts';

let seq = 0;
const next = () => ++seq;

export function factories(database: Database, clock: Clock) {
  const f = {
    async org(overrides: { name?: string; rateLimitPerMinute?: number | null } = {}) {
      // Tests other than the rate-limit ones should never trip the limit by accident.
      return createOrganization(database, clock, { name: `Org ${next()}`, rateLimitPerMinute: 1_000_000, ...overrides });
    },
    async agent(orgId: number, overrides: { name?: string; email?: string; role?: string; departmentId?: number; active?: boolean } = {}) {
      const n = next();
      const agent = await createAgent(database, clock, {
        orgId,
        name: overrides.name ?? `Agent ${n}`,
        email: overrides.email ?? `agent${n}@example.test`,
        role: overrides.role ?? 'agent',
        departmentId: overrides.departmentId,
      });
      return overrides.active === false ? (await deactivateAgent(database, clock, orgId, agent.id)).agent : agent;
    },
    async department(orgId: number, name = `Department ${next()}`) {
      return createDepartment(database, clock, { orgId, name });
    },
    async customer(orgId: number, fields: Record<string, unknown> = {}) {
      const n = next();
      return createCustomer(database, clock, orgId, createCustomerBody.parse({ name: `Customer ${n}`, email: `c${n}@example.test`, ...fields }));
    },
    async chat(orgId: number, opts: { applicationId: number; customerId?: number; assignee?: number; department?: number }) {
      const customer = opts.customerId ?? (await f.customer(orgId)).id;
      return createChat(database, clock, { orgId, actor: { type: 'system', id: null, name: 'test' } }, {
        customer,
        application: opts.applicationId,
        assignee: opts.assignee,
        department: opts.department,
      });
    },
    /**
     * A chat row as an earlier version of Handoff wrote it: a plain insert, no service. For tests
     * that write rows before a later migration runs (helpers/migrated-before.ts): today's chat
     * service also reads tables those migrations create (routing policies, 0011).
     */
    async legacyChat(orgId: number, opts: { applicationId: number; customerId?: number }) {
      const customer = opts.customerId ?? (await f.customer(orgId)).id;
      const now = clock.now();
      const row = await database.write((trx) =>
        trx
          .insertInto('chats')
          .values({ organization_id: orgId, customer_id: customer, application_id: opts.applicationId, department_id: null, status: 'empty', created_with: 'public_api', read_by_agent: 0, read_by_customer: 0, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      return { id: row.id };
    },
    /** an organization with three active agents and one chat */
    async world() {
      const org = await f.org();
      const agents = [await f.agent(org.id), await f.agent(org.id), await f.agent(org.id)];
      const chat = await f.chat(org.id, { applicationId: org.applicationId });
      return { org, agents, chat };
    },
  };
  return f;
}
