// What a crash test sent and what it was told, and the judgement of a database against it
// (test/crash-writes.test.ts). A write answered 2xx must be there whole; a write whose answer was
// lost to a kill may be there or not, but only whole: its history row (or message row), its
// outbox event and its chat change together, or none of them.
import type { Database } from '../../src/db/database.ts';

/** ok: answered 2xx. lost: the connection died before an answer (may or may not have committed). */
export type Outcome = 'pending' | 'ok' | 'lost' | 'refused';

export interface Sent {
  chat: number;
  /** the kill cycle it was sent in (for the report) */
  cycle: number;
  outcome: Outcome;
  /** the status of an answer, or the socket error of a lost request */
  detail?: string;
}
export interface SentAssignment extends Sent {
  kind: 'assign';
  to: number | null;
  /** the answered chat's assignee id (ok only) */
  answeredAssignee?: number | null;
}
export interface SentMessage extends Sent {
  kind: 'message';
  /** unique per request: how a lost message is recognised if it committed */
  text: string;
  agent: number | null;
  /** the answered message id (ok only) */
  answeredId?: number;
}
export type SentWrite = SentAssignment | SentMessage;

export interface Verdict {
  problems: string[];
  /** lost requests (assignments and messages) found committed / found absent */
  lostCommitted: number;
  lostAbsent: number;
}

/**
 * Every chat's requests were sent one after another (one client owns a chat), so the ledger
 * in send order is each chat's order too: the history must be the 2xx assignments that
 * changed something, in order, with any lost ones that committed in their places.
 */
export async function judge(database: Database, orgId: number, chats: number[], ledger: SentWrite[]): Promise<Verdict> {
  const problems: string[] = [];
  let lostCommitted = 0;
  let lostAbsent = 0;
  const db = database.db;
  const history = await db
    .selectFrom('assignments')
    .select(['id', 'chat_id', 'from_agent_id', 'to_agent_id', 'source'])
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .execute();
  const outbox = (await db.selectFrom('outbox').select(['id', 'event', 'chat_id', 'event_data']).where('organization_id', '=', orgId).orderBy('id').execute()).map(
    (e) => ({ ...e, data: JSON.parse(e.event_data) as any }),
  );
  const chatRows = await db.selectFrom('chats').select(['id', 'assignee_id', 'last_message_id']).where('organization_id', '=', orgId).execute();
  const messages = await db.selectFrom('messages').select(['id', 'chat_id', 'text', 'from', 'agent_id']).where('organization_id', '=', orgId).execute();

  for (const chatId of chats) {
    const rows = history.filter((h) => h.chat_id === chatId);
    const events = outbox.filter((e) => e.chat_id === chatId && e.event === 'chat.assigned');
    const sent = ledger.filter((w): w is SentAssignment => w.kind === 'assign' && w.chat === chatId);
    const where = `chat ${chatId}`;
    // a gap-free chain: each row starts where the previous one ended, the first from unassigned
    rows.forEach((r, i) => {
      const before = i === 0 ? null : rows[i - 1].to_agent_id;
      if (r.from_agent_id !== before) problems.push(`${where}: history row ${r.id} is from ${r.from_agent_id}, but the chat was with ${before}`);
      if (r.source !== 'api') problems.push(`${where}: history row ${r.id} has source ${r.source}, not api`);
    });
    // every history row has its outbox event, in the same order, saying the same move
    if (events.length !== rows.length) problems.push(`${where}: ${rows.length} history rows but ${events.length} chat.assigned events`);
    // (the first mismatch only: past it, every pair is off by one)
    const unmatched = rows.findIndex((r, i) => events[i] && (r.to_agent_id !== (events[i].data.assignee?.id ?? null) || r.from_agent_id !== (events[i].data.previousAssignee?.id ?? null)));
    if (unmatched >= 0) {
      const [r, e] = [rows[unmatched], events[unmatched]];
      problems.push(`${where}: history row ${r.id} (${r.from_agent_id} → ${r.to_agent_id}) but event ${e.id} says ${e.data.previousAssignee?.id ?? null} → ${e.data.assignee?.id ?? null}`);
    }
    for (const w of sent) {
      if (w.outcome === 'ok' && w.answeredAssignee !== w.to) problems.push(`${where}: PUT assignee ${w.to} answered ${w.answeredAssignee}`);
      if (w.outcome !== 'ok' && w.outcome !== 'lost') problems.push(`${where}: PUT assignee ${w.to} was ${w.outcome} (${w.detail})`);
    }
    const replayed = replay(sent, rows);
    if ('stuck' in replayed) problems.push(`${where}: ${replayed.stuck}`);
    else {
      lostCommitted += replayed.committed;
      lostAbsent += replayed.absent;
    }
    const lastSent = sent[sent.length - 1];
    // the chat itself says what the history's last row says, and what the requests ended with
    const chat = chatRows.find((c) => c.id === chatId);
    const last = rows.length === 0 ? null : rows[rows.length - 1].to_agent_id;
    if (chat?.assignee_id !== last) problems.push(`${where}: assignee ${chat?.assignee_id}, but the history ends with ${last}`);
    // (implied by the replay; said outright because it is the guarantee a caller relies on)
    if (lastSent?.outcome === 'ok' && chat?.assignee_id !== lastSent.to) problems.push(`${where}: assignee ${chat?.assignee_id}, but the last request, answered 2xx, set ${lastSent.to}`);
  }

  // messages: each one sent is there once (2xx) or at most once (lost), with exactly one event
  const byText = new Map<string, typeof messages>();
  for (const m of messages) byText.set(m.text, [...(byText.get(m.text) ?? []), m]);
  const messageIds = new Set(messages.map((m) => m.id));
  const messageEvents = new Map<number, Array<(typeof outbox)[number]>>();
  for (const e of outbox) {
    if (!e.event.startsWith('message.')) continue;
    const id = e.data.message?.id as number;
    messageEvents.set(id, [...(messageEvents.get(id) ?? []), e]);
    if (!messageIds.has(id)) problems.push(`outbox event ${e.id} (${e.event}) names message ${id}, which does not exist`);
  }
  const sentTexts = new Set<string>();
  for (const w of ledger) {
    if (w.kind !== 'message') continue;
    sentTexts.add(w.text);
    const found = byText.get(w.text) ?? [];
    const what = `message "${w.text}" (${w.outcome})`;
    if (w.outcome === 'refused' || w.outcome === 'pending') problems.push(`${what}: ${w.detail}`);
    if (found.length > 1) problems.push(`${what}: stored ${found.length} times`);
    if (w.outcome === 'ok' && found.length === 0) problems.push(`${what}: answered 2xx with id ${w.answeredId} but not stored`);
    if (w.outcome === 'ok' && found[0] && found[0].id !== w.answeredId) problems.push(`${what}: answered id ${w.answeredId}, stored as ${found[0].id}`);
    if (w.outcome === 'lost') found.length === 0 ? lostAbsent++ : lostCommitted++;
    for (const m of found) {
      const from = w.agent === null ? 'customer' : 'agent';
      if (m.chat_id !== w.chat || m.from !== from || m.agent_id !== w.agent) problems.push(`${what}: stored as ${JSON.stringify(m)}`);
      const events = messageEvents.get(m.id) ?? [];
      if (events.length !== 1) problems.push(`${what}: message ${m.id} has ${events.length} outbox events, not 1`);
      else if (events[0].event !== `message.chat.${from}`) problems.push(`${what}: its event is ${events[0].event}`);
    }
  }
  for (const m of messages) if (!sentTexts.has(m.text)) problems.push(`message ${m.id} "${m.text}" was never sent`);
  // the chat moved with its messages: its last message is the newest one stored, no other
  for (const chat of chatRows) {
    const newest = Math.max(0, ...messages.filter((m) => m.chat_id === chat.id).map((m) => m.id)) || null;
    if (chat.last_message_id !== newest) problems.push(`chat ${chat.id}: last message ${chat.last_message_id}, but the newest stored is ${newest}`);
  }
  return { problems, lostCommitted, lostAbsent };
}

type HistoryRow = { id: number; from_agent_id: number | null; to_agent_id: number | null };

/**
 * Is there a choice of which lost requests committed under which the requests, in order,
 * write exactly these history rows? A 2xx request that changes the assignee must take the
 * next row; a lost one may or may not. The choice is searched, not guessed: a lost request
 * may look like it wrote a row that really belongs to a later request (lost `null` after
 * `1`, then 2xx `1` (a no-op, or not) and 2xx `null`), and only the whole sequence decides.
 */
function replay(sent: SentAssignment[], rows: HistoryRow[]): { committed: number; absent: number } | { stuck: string } {
  const failed = new Set<string>();
  let furthest = { i: -1, why: '' };
  const go = (i: number, next: number, current: number | null): { committed: number; absent: number } | null => {
    const key = `${i} ${next} ${current}`;
    if (failed.has(key)) return null;
    const row = rows[next];
    let found: { committed: number; absent: number } | null = null;
    if (i === sent.length) {
      if (next === rows.length) return { committed: 0, absent: 0 };
      if (i >= furthest.i) furthest = { i, why: `${rows.length - next} history rows no request accounts for, from row ${row.id} (${row.from_agent_id} → ${row.to_agent_id})` };
    } else {
      const w = sent[i];
      const takesRow = w.to !== current && row !== undefined && row.from_agent_id === current && row.to_agent_id === w.to;
      if (w.outcome === 'ok') {
        if (w.to === current) found = go(i + 1, next, current); // a no-op writes nothing
        else if (takesRow) found = go(i + 1, next + 1, w.to);
        else if (i > furthest.i) {
          const seen = row ? `${row.from_agent_id} → ${row.to_agent_id} (row ${row.id})` : 'none';
          furthest = { i, why: `the 2xx assignment ${current} → ${w.to} of cycle ${w.cycle} has no history row (next row: ${seen})` };
        }
      } else {
        const commit = takesRow && w.outcome === 'lost' ? go(i + 1, next + 1, w.to) : null;
        if (commit) found = { ...commit, committed: commit.committed + 1 };
        else {
          const skip = go(i + 1, next, current);
          if (skip) found = { ...skip, absent: skip.absent + (w.outcome === 'lost' ? 1 : 0) };
        }
      }
    }
    if (!found) failed.add(key);
    return found;
  };
  return go(0, 0, null) ?? { stuck: `no choice of which lost requests committed explains the history: ${furthest.why}` };
}
