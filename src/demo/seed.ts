// The demo organization an empty database gets on `npm start` (and `handoff demo`): enough
// agents, departments, customers and chats in several states to try every endpoint.
import { CLI_ACTOR } from '../assignment/actor.ts';
import { assignChat } from '../assignment/assign-chat.ts';
import { joinedTo, type Database } from '../db/database.ts';
import type { ChatStatus } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { generatePassword, hashPassword } from '../lib/password.ts';
import { createAgent } from '../modules/agents/agents.service.ts';
import { insertChat } from '../modules/chats/chats.repository.ts';
import { createCustomerBody } from '../modules/customers/customers.schema.ts';
import { createCustomer } from '../modules/customers/customers.service.ts';
import { addDepartmentAgent } from '../modules/departments/departments.repository.ts';
import { createDepartment } from '../modules/departments/departments.service.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { writePasswordHash } from '../modules/sessions/sessions.repository.ts';

const AGENTS = [
  { name: 'Alice Admin', email: 'alice@demo.handoff.local', role: 'admin' },
  { name: 'Bob Agent', email: 'bob@demo.handoff.local', role: 'agent' },
  { name: 'Carol Supervisor', email: 'carol@demo.handoff.local', role: 'superviser' },
];
/** the agents (by index in AGENTS) who get an inbox password: the admin and a plain agent */
const SIGN_INS = [0, 1];
const CUSTOMERS = ['Dana Doe', 'Eli Evans', 'Fay Fox', 'Gus Green', 'Hana Hill'];
const CHATS: Array<{ status: ChatStatus; text: string | null; assignee: number | null }> = [
  { status: 'new', text: 'Hi, my order has not arrived yet.', assignee: null },
  { status: 'new', text: 'Can I change my delivery address?', assignee: null },
  { status: 'opened', text: 'Thanks, looking into it now.', assignee: 1 },
  { status: 'opened', text: 'Could you send a screenshot?', assignee: 2 },
  { status: 'pending', text: 'Waiting for the warehouse to confirm.', assignee: 1 },
  { status: 'onhold', text: 'We will get back to you tomorrow.', assignee: 2 },
  { status: 'closed', text: 'Glad we could help!', assignee: 0 },
  { status: 'closed', text: 'Refund issued.', assignee: 1 },
  { status: 'no communication', text: 'Hello?', assignee: null },
  { status: 'empty', text: null, assignee: null },
];

/** an inbox sign-in the demo prints once (only the password's hash is stored) */
export interface DemoSignIn {
  email: string;
  role: string;
  password: string;
}

export interface DemoOrganization {
  orgId: number;
  apiKey: string;
  agentIds: number[];
  chatIds: number[];
  signIns: DemoSignIn[];
}

interface HashedSignIn extends DemoSignIn {
  agent: number;
  hash: string;
}

/**
 * One transaction: an interrupted seed leaves no half-made organization behind, so the next
 * start (which seeds only an empty database) seeds again and prints the key. The passwords are
 * hashed before it (~100 ms each), so the transaction holds no lock while they are.
 */
export async function seedDemo(database: Database, clock: Clock): Promise<DemoOrganization> {
  const signIns = await Promise.all(
    SIGN_INS.map(async (agent) => {
      const password = generatePassword();
      return { agent, email: AGENTS[agent].email, role: AGENTS[agent].role, password, hash: await hashPassword(password) };
    }),
  );
  return database.write((trx) => seed(joinedTo(database, trx), clock, signIns));
}

async function seed(database: Database, clock: Clock, signIns: HashedSignIn[]): Promise<DemoOrganization> {
  const org = await createOrganization(database, clock, { name: 'Demo Support', domain: 'demo' });
  const orgId = org.id;
  const sales = await createDepartment(database, clock, { orgId, name: 'Sales' });
  const support = await createDepartment(database, clock, { orgId, name: 'Support' });
  const agentIds: number[] = [];
  for (const a of AGENTS) agentIds.push((await createAgent(database, clock, { orgId, ...a })).id);
  await database.write(async (trx) => {
    for (const s of signIns) await writePasswordHash(trx, orgId, agentIds[s.agent], s.hash);
  });

  const customerIds: number[] = [];
  for (const [i, name] of CUSTOMERS.entries()) {
    const email = `${name.split(' ')[0].toLowerCase()}@example.com`;
    const c = await createCustomer(database, clock, orgId, createCustomerBody.parse({ name, email, userId: `demo-${i + 1}` }));
    customerIds.push(c.id);
  }

  const chatIds = await database.write(async (trx) => {
    await addDepartmentAgent(trx, orgId, sales.id, agentIds[0]);
    await addDepartmentAgent(trx, orgId, support.id, agentIds[1]);
    await addDepartmentAgent(trx, orgId, support.id, agentIds[2]);
    const ids: number[] = [];
    const now = clock.now();
    for (const [i, c] of CHATS.entries()) {
      const at = now - (CHATS.length - i) * 3600;
      const chatId = await insertChat(trx, {
        organization_id: orgId,
        customer_id: customerIds[i % customerIds.length],
        application_id: org.applicationId,
        department_id: i % 2 === 0 ? support.id : sales.id,
        status: c.status,
        closed_by: c.status === 'closed' ? 'agent' : null,
        closed_at: c.status === 'closed' ? at + 1800 : null,
        created_at: at,
        updated_at: at,
        last_message_at: c.text ? at + 60 : null,
        last_customer_message_at: c.text ? at : null,
        last_message_text: c.text,
        read_by_agent: c.status === 'new' ? 0 : 1,
        read_by_customer: 1,
        created_with: 'customer_message',
      });
      ids.push(chatId);
      if (c.assignee !== null) {
        // Even the demo's assignments take the one path, so they appear in the history.
        await assignChat(trx, clock, { orgId, chatId, assigneeId: agentIds[c.assignee], by: CLI_ACTOR, source: 'cli', reason: 'demo data' });
      }
    }
    return ids;
  });
  return { orgId, apiKey: org.apiKey, agentIds, chatIds, signIns: signIns.map(({ email, role, password }) => ({ email, role, password })) };
}
