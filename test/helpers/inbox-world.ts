// A small support team for the browser suites and the screenshots: an admin, two agents with
// passwords, two departments and a handful of customers whose chats are assigned, unassigned
// and talked in — written through the API (a Bearer key), as an integration would.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { giveAgentPassword, keyRequest, launchBrowser, PASSWORD, startInboxServer, type InboxServer } from './browser.ts';

const CUSTOMERS = [
  { name: 'Maria Lopez', email: 'maria.lopez@example.com', say: ['Hi! My order #4411 has not arrived yet.', 'It was due on Monday.'] },
  { name: 'Tom Becker', email: 'tom@becker.example', say: ['Can I change the billing address on my invoice?'] },
  { name: 'Aiko Tanaka', email: 'aiko.t@example.org', say: ['The app logs me out every few minutes on Android.'] },
  { name: 'Jonas Weber', email: 'jonas.weber@example.net', say: ['Do you ship to Switzerland?'] },
  { name: 'Priya Nair', email: 'priya@nair.example', say: ['I was charged twice for the same plan.', 'Screenshot attached in the email I sent.'] },
  { name: 'Lucas Martin', email: 'lucas.martin@example.com', say: ['Where can I download my data?'] },
];

export interface InboxWorld {
  apiKey: string;
  orgId: number;
  admin: { id: number; name: string; email: string };
  agent: { id: number; name: string; email: string };
  other: { id: number; name: string; email: string };
  departments: { id: number; name: string }[];
  /** chat ids by customer name */
  chats: Record<string, number>;
  password: string;
}

/** `setPassword`: how an agent gets a password (default: the server's own service). */
export async function seedInboxWorld(server: InboxServer, setPassword = giveAgentPassword): Promise<InboxWorld> {
  const { f, t } = server;
  const org = await f.org({ name: 'Acme Support' });
  const support = await f.department(org.id, 'Support');
  const sales = await f.department(org.id, 'Sales');
  const admin = await f.agent(org.id, { name: 'Ada Admin', email: 'ada@acme.test', role: 'admin', departmentId: support.id });
  const agent = await f.agent(org.id, { name: 'Ben Agent', email: 'ben@acme.test', role: 'agent', departmentId: support.id });
  const other = await f.agent(org.id, { name: 'Cleo Chen', email: 'cleo@acme.test', role: 'agent', departmentId: sales.id });
  for (const a of [admin, agent, other]) await setPassword(t, org.id, a.id);
  const call = (method: string, path: string, body?: unknown) => keyRequest(server, org.apiKey, method, path, body);
  await call('PUT', `/v1/agents/${admin.id}/status`, { status: 'online' });
  await call('PUT', `/v1/agents/${agent.id}/status`, { status: 'away' });

  const chats: Record<string, number> = {};
  const owners = [agent.id, null, admin.id, null, other.id, null];
  for (const [i, c] of CUSTOMERS.entries()) {
    const customer = await f.customer(org.id, { name: c.name, email: c.email });
    const chat = await f.chat(org.id, { applicationId: org.applicationId, customerId: customer.id, department: i % 3 === 1 ? sales.id : support.id });
    chats[c.name] = chat.id;
    for (const text of c.say) {
      t.clock.advance(60 + i * 7);
      await call('POST', '/v1/messages', { chat: chat.id, text });
    }
    if (owners[i] !== null) await call('PUT', '/v1/chats/assignee', { id: chat.id, assignee: owners[i] });
    if (i === 0) {
      t.clock.advance(120);
      await call('POST', '/v1/messages', { chat: chat.id, text: 'Sorry about that, Maria! Let me check with the carrier.', agent: agent.id });
      await call('POST', '/v1/messages', { chat: chat.id, text: 'Carrier says the parcel is held at the depot; follow up tomorrow.', type: 'private', agent: agent.id });
    }
    if (i === 2) await call('PUT', '/v1/chats/status', { id: chat.id, status: 'pending' });
  }
  const ref = (a: { id: number; name: string; email: string }) => ({ id: a.id, name: a.name, email: a.email });
  return {
    apiKey: org.apiKey,
    orgId: org.id,
    admin: ref(admin),
    agent: ref(agent),
    other: ref(other),
    departments: [support, sales].map((d) => ({ id: d.id, name: d.name })),
    chats,
    password: PASSWORD,
  };
}

/**
 * What every browser suite needs, with its hooks registered: a listening inbox server with the
 * seeded team, and a browser. Read the fields inside tests (they are set by beforeAll).
 */
export function inboxSuite(): { server: InboxServer; world: InboxWorld; browser: Browser } {
  const suite = {} as { server: InboxServer; world: InboxWorld; browser: Browser };
  beforeAll(async () => {
    suite.server = await startInboxServer();
    suite.world = await seedInboxWorld(suite.server);
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
