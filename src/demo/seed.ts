// The demo organization an empty database gets on the quick start (and `handoff demo`): enough
// agents, departments, customers and chats in several states to try every endpoint. Each chat
// is told as a story (CHATS) and played through the same services the API uses — the customer
// writes, someone is assigned, an agent answers, the chat is closed and rated — so its
// messages, last-message fields, status, rating and assignment history agree by construction.
import { CLI_ACTOR } from '../assignment/actor.ts';
import { assignChat } from '../assignment/assign-chat.ts';
import { joinedTo, type Database } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { generatePassword, hashPassword } from '../lib/password.ts';
import { createAgent } from '../modules/agents/agents.service.ts';
import { rateChat, setStatus } from '../modules/chats/chat-changes.service.ts';
import type { Rating, SettableStatus } from '../modules/chats/chat-changes.schema.ts';
import { createChat } from '../modules/chats/chats.service.ts';
import { createCustomerBody } from '../modules/customers/customers.schema.ts';
import { createCustomer } from '../modules/customers/customers.service.ts';
import { addDepartmentAgent } from '../modules/departments/departments.repository.ts';
import { createDepartment } from '../modules/departments/departments.service.ts';
import { postMessage } from '../modules/messages/messages.service.ts';
import { createOrganization } from '../modules/organizations/organizations.service.ts';
import { writePasswordHash } from '../modules/sessions/sessions.repository.ts';

const AGENTS = [
  { name: 'Alice Admin', email: 'alice@demo.handoff.local', role: 'admin' },
  { name: 'Bob Agent', email: 'bob@demo.handoff.local', role: 'agent' },
  { name: 'Carol Supervisor', email: 'carol@demo.handoff.local', role: 'superviser' },
];
/** the agents (by index in AGENTS) who get an inbox password: the admin and a plain agent */
const SIGN_INS = [0, 1];
/** departments and their members (indexes in AGENTS) */
const DEPARTMENTS = { Sales: [0], Support: [1, 2] } as const;
const CUSTOMERS = ['Dana Doe', 'Eli Evans', 'Fay Fox', 'Gus Green', 'Hana Hill'];

/** one thing that happens in a demo chat; agents by index in AGENTS */
type Step =
  | { customer: string }
  | { agent: number; says: string }
  | { agent: number; notes: string }
  | { assign: number }
  | { status: SettableStatus }
  | { rate: Rating };

/** Each chat's story, in order; the status each ends in is in the comment. */
const CHATS: Array<{ department: keyof typeof DEPARTMENTS; steps: Step[] }> = [
  // new: the customer wrote, nobody has it yet (the printed curl assigns this one)
  { department: 'Support', steps: [{ customer: 'Hi, my order has not arrived yet.' }] },
  { department: 'Sales', steps: [{ customer: 'Can I change my delivery address?' }] },
  // opened: assigned and answered; the second one was handed on to a colleague first
  { department: 'Support', steps: [{ customer: 'My invoice shows the wrong amount.' }, { assign: 1 }, { agent: 1, says: 'Thanks, looking into it now.' }] },
  {
    department: 'Support',
    steps: [{ customer: 'The app crashes when I upload a photo.' }, { assign: 1 }, { assign: 2 }, { agent: 2, says: 'Could you send a screenshot?' }],
  },
  // pending, with a private note after the answer (the last message stays the answer)
  {
    department: 'Support',
    steps: [
      { customer: 'Is the blue model back in stock?' }, { assign: 1 }, { agent: 1, says: 'Waiting for the warehouse to confirm.' },
      { agent: 1, notes: 'Asked the warehouse by email.' }, { status: 'pending' },
    ],
  },
  // onhold
  {
    department: 'Support',
    steps: [{ customer: 'I need to update my billing details.' }, { assign: 2 }, { agent: 2, says: 'We will get back to you tomorrow.' }, { status: 'onhold' }],
  },
  // closed and rated
  {
    department: 'Sales',
    steps: [
      { customer: 'Where can I download my receipt?' }, { assign: 0 }, { agent: 0, says: 'Under Account, Orders. Glad we could help!' },
      { status: 'closed' }, { rate: 'great' },
    ],
  },
  {
    department: 'Support',
    steps: [
      { customer: 'I was charged twice for one order.' }, { assign: 1 }, { agent: 1, says: 'Refund issued.' }, { customer: 'Thank you!' },
      { status: 'closed' }, { rate: 'perfect' },
    ],
  },
  // no communication: the customer said hello and went away
  { department: 'Support', steps: [{ customer: 'Hello?' }, { status: 'no communication' }] },
  // empty: opened by an integration, no message yet
  { department: 'Sales', steps: [] },
];
/** the chats start an hour apart, the last one an hour ago; their steps two minutes apart */
const CHAT_GAP = 3600;
const STEP_GAP = 120;

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
  const agentIds: number[] = [];
  for (const a of AGENTS) agentIds.push((await createAgent(database, clock, { orgId, ...a })).id);
  const departmentIds = {} as Record<keyof typeof DEPARTMENTS, number>;
  for (const [name, members] of Object.entries(DEPARTMENTS) as Array<[keyof typeof DEPARTMENTS, readonly number[]]>) {
    departmentIds[name] = (await createDepartment(database, clock, { orgId, name })).id;
    await database.write(async (trx) => {
      for (const m of members) await addDepartmentAgent(trx, orgId, departmentIds[name], agentIds[m]);
    });
  }
  await database.write(async (trx) => {
    for (const s of signIns) await writePasswordHash(trx, orgId, agentIds[s.agent], s.hash);
  });

  const customerIds: number[] = [];
  for (const [i, name] of CUSTOMERS.entries()) {
    const email = `${name.split(' ')[0].toLowerCase()}@example.com`;
    const c = await createCustomer(database, clock, orgId, createCustomerBody.parse({ name, email, userId: `demo-${i + 1}` }));
    customerIds.push(c.id);
  }

  const chatIds: number[] = [];
  for (const [i, chat] of CHATS.entries()) {
    // The chat's story in the past: each step is dated by a clock set back to its moment.
    const startsAgo = (CHATS.length - i) * CHAT_GAP;
    const at = (step: number): Clock => ({ now: () => clock.now() - startsAgo + step * STEP_GAP });
    const created = await createChat(database, at(0), { orgId, actor: CLI_ACTOR }, {
      customer: customerIds[i % customerIds.length],
      application: org.applicationId,
      department: departmentIds[chat.department],
      assignee: undefined,
    });
    for (const [n, step] of chat.steps.entries()) await play(database, at(n + 1), orgId, created.id, step, agentIds);
    chatIds.push(created.id);
  }
  return { orgId, apiKey: org.apiKey, agentIds, chatIds, signIns: signIns.map(({ email, role, password }) => ({ email, role, password })) };
}

/** one step of a chat's story, through the service the API would call for it */
async function play(database: Database, clock: Clock, orgId: number, chatId: number, step: Step, agentIds: number[]): Promise<void> {
  const message = { chat: chatId, markdownText: undefined };
  if ('customer' in step) await postMessage(database, clock, orgId, { ...message, text: step.customer, type: 'message', agent: undefined });
  else if ('says' in step) await postMessage(database, clock, orgId, { ...message, text: step.says, type: 'message', agent: agentIds[step.agent] });
  else if ('notes' in step) await postMessage(database, clock, orgId, { ...message, text: step.notes, type: 'private', agent: agentIds[step.agent] });
  else if ('status' in step) await setStatus(database, clock, { orgId }, { id: chatId, status: step.status });
  else if ('rate' in step) await rateChat(database, clock, { orgId }, { id: chatId, rating: step.rate });
  else {
    // Even the demo's assignments take the one path (DESIGN rule 2), so they are in the history.
    const assigneeId = agentIds[step.assign];
    await database.write((trx) => assignChat(trx, clock, { orgId, chatId, assigneeId, by: CLI_ACTOR, source: 'cli', reason: 'demo data' }));
  }
}
