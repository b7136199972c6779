// The lean reference for PUT /v1/chats/assignee (issue 17): what any server on this machine
// pays for Handoff's assignment with Handoff's schema and SQL, and nothing else. node:http, a
// fixed API key compared as a string, the body parsed with JSON.parse, better-sqlite3 directly,
// and the statements an assignment runs (captured from assignChat(): the chat view, the
// assignee, the chat's writers, the chat UPDATE, the history row, the outbox row with its event,
// routing's two reads), grouped into one transaction per event-loop turn as Handoff's write()
// does, each in its own savepoint. The answer is the chat, built here by hand in the Chat's key
// order. What separates the real server from this row is Handoff itself: Fastify, validation,
// Kysely, presenters, events, logging.
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import BetterSqlite3 from 'better-sqlite3';

const db = new BetterSqlite3(process.env.DATABASE_URL!.replace(/^sqlite:/, ''));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'normal' ? 'NORMAL' : 'FULL'}`);
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -32768');
const AUTHORIZATION = `Bearer ${process.env.BENCH_API_KEY}`;
const ORG = Number(process.env.BENCH_ORG_ID ?? 1);

const q = {
  view: db.prepare(`select c.*, cu.name as customer_name, cu.email as customer_email, cu.user_id as customer_user_id,
      a.name as assignee_name, a.email as assignee_email, a.role as assignee_role, d.name as department_name
    from chats c join customers cu on cu.id = c.customer_id left join agents a on a.id = c.assignee_id
    left join departments d on d.id = c.department_id where +c.organization_id = ? and c.id = ?`),
  agent: db.prepare('select id, name, email, role, status, active, capacity from agents where organization_id = ? and id = ?'),
  writers: db.prepare(`select a.id, a.name, a.email, a.role from chat_agents ca join agents a on a.id = ca.agent_id
    where ca.organization_id = ? and ca.chat_id = ? order by ca.created_at, a.id`),
  update: db.prepare('update chats set assignee_id = ?, updated_at = ? where organization_id = ? and id = ?'),
  history: db.prepare(`insert into assignments (organization_id, chat_id, from_agent_id, to_agent_id, assigned_by_type,
    assigned_by_id, assigned_by_name, source, reason, trace, created_at) values (?, ?, ?, ?, 'api_key', 1, 'bench', 'api', null, null, ?)`),
  outbox: db.prepare(`insert into outbox (organization_id, event_id, event, chat_id, event_data, created_at, webhook_pending, webhook_generation)
    select o.id, ?, 'chat.assigned', ?, ?, ?, case when o.webhook_events = '*' or instr(o.webhook_events, ',chat.assigned,') > 0 then 1 else 0 end,
    o.webhook_generation from organizations o where o.id = ? returning id, webhook_pending`),
  queued: db.prepare('select id from chats where organization_id = ? and queued_at is not null limit 1'),
  policy: db.prepare('select * from routing_policies where organization_id = ? and department_id in (?)'),
};
// The transaction's own statements, prepared once like the rest (Handoff caches them too).
const control = new Map<string, BetterSqlite3.Statement>();
const exec = (text: string) => {
  let stmt = control.get(text);
  if (!stmt) control.set(text, (stmt = db.prepare(text)));
  stmt.run();
};

type Row = Record<string, any>;
const ref = (id: number | null, name: string | null, email: string | null, role: string | null) => (id === null ? null : { id, name, email, role });
const ts = (v: number | null) => (v === null ? null : String(v));
const present = (c: Row, agents: Row[]) => ({
  id: c.id, closedBy: c.closed_by, lastCustomerMessageAt: ts(c.last_customer_message_at), status: c.status, closedAt: ts(c.closed_at),
  rating: c.rating, createdAt: ts(c.created_at), lastMessageAt: ts(c.last_message_at), readByAgent: c.read_by_agent === 1,
  readByCustomer: c.read_by_customer === 1, createdWith: c.created_with, snoozedUntil: ts(c.snoozed_until), lastMessageText: c.last_message_text,
  lastMessageId: c.last_message_id, applicationId: c.application_id, lastCommunicatedAgentId: c.last_communicated_agent_id,
  agents: agents.map((a) => ref(a.id, a.name, a.email, a.role)),
  customer: { id: c.customer_id, name: c.customer_name, email: c.customer_email, userId: c.customer_user_id },
  assignee: ref(c.assignee_id, c.assignee_name, c.assignee_email, c.assignee_role),
  department: c.department_id === null ? null : { id: c.department_id, name: c.department_name },
});

/** one assignment inside the open transaction: [status, body] */
function assign(chatId: number, assigneeId: number): [number, string] {
  const view = q.view.get(ORG, chatId) as Row | undefined;
  if (!view) return [404, '{"errors":[{"code":"not_found"}]}'];
  const agent = q.agent.get(ORG, assigneeId) as Row | undefined;
  if (!agent || agent.active !== 1) return [400, '{"errors":[{"code":"invalid"}]}'];
  const agents = q.writers.all(ORG, chatId) as Row[];
  if (view.assignee_id === assigneeId) return [200, JSON.stringify(present(view, agents))];
  const now = Math.floor(Date.now() / 1000);
  q.update.run(assigneeId, now, ORG, chatId);
  q.history.run(ORG, chatId, view.assignee_id, assigneeId, now);
  const chat = present({ ...view, assignee_id: agent.id, assignee_name: agent.name, assignee_email: agent.email, assignee_role: agent.role, updated_at: now }, agents);
  const before = ref(view.assignee_id, view.assignee_name, view.assignee_email, view.assignee_role);
  const body = JSON.stringify(chat);
  q.outbox.get(randomUUID(), chatId, `{"chat":${body},"assignee":${JSON.stringify(chat.assignee)},"previousAssignee":${JSON.stringify(before)},"assignedBy":{"type":"api_key","id":1,"name":"bench"},"source":"api"}`, now, ORG);
  if (view.assignee_id !== null) q.queued.get(ORG);
  q.policy.all(ORG, view.department_id ?? 0);
  return [200, body];
}

let batch: Array<{ chatId: number; assigneeId: number; res: ServerResponse }> = [];
function commitBatch() {
  const jobs = batch;
  batch = [];
  const answers: Array<[number, string]> = [];
  exec('begin');
  for (const job of jobs) {
    exec('savepoint job');
    try {
      answers.push(assign(job.chatId, job.assigneeId));
      exec('release job');
    } catch (err) {
      exec('rollback to job');
      exec('release job');
      answers.push([500, JSON.stringify({ errors: [{ message: String(err) }] })]);
    }
  }
  exec('commit');
  jobs.forEach((job, i) => {
    const [status, body] = answers[i];
    job.res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    job.res.end(body);
  });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/health/ready') return void res.end('{"status":"ok"}');
    if (req.method !== 'PUT' || req.url !== '/v1/chats/assignee' || req.headers.authorization !== AUTHORIZATION) {
      res.writeHead(404);
      return void res.end();
    }
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { id: number; assignee: number };
    if (batch.length === 0) setImmediate(commitBatch);
    batch.push({ chatId: body.id, assigneeId: body.assignee, res });
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => (db.close(), process.exit(0))));
