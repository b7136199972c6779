// The one sentence a routing decision carries into the assignment history (API.md §4.7
// `reason`): written for a team lead reading why a chat went where it went, or nowhere.
import type { Basis, Exclusion, Judged } from './decision.ts';

const agents = (n: number, adjective = '') => `${n} ${adjective}${n === 1 ? 'agent' : 'agents'}`;

const openChats = (load: number, capacity: number | null) =>
  capacity === null ? `${load} open ${load === 1 ? 'chat' : 'chats'}` : `${load} of ${capacity} open chats`;

// Listed soonest-to-clear first (the reverse of the order they are checked in): a team lead
// reads first what will let the queue move, and the breakdown reads the same every time.
const EXCLUDED_AS: Record<Exclude<Exclusion, null>, string> = {
  at_capacity: 'at capacity',
  no_reply: 'did not reply in time',
  offline: 'offline',
  away: 'away',
  not_in_department: 'not in the department',
  deactivated: 'deactivated',
};

/** "2 at capacity, 3 offline"; for a single agent just "offline". */
function breakdown(judged: Judged[]): string {
  const counts = Object.entries(EXCLUDED_AS).map(([why, label]) => [judged.filter((j) => j.excluded === why).length, label] as const);
  const present = counts.filter(([n]) => n > 0);
  return present.map(([n, label]) => (judged.length === 1 ? label : `${n} ${label}`)).join(', ');
}

function queued(judged: Judged[]): string {
  if (judged.length === 0) return 'Queued: there are no agents to route to.';
  const subject = judged.length === 1 ? 'the one agent cannot' : `none of the ${agents(judged.length)} can`;
  return `Queued: ${subject} take it (${breakdown(judged)}).`;
}

type Sentence = (winner: Judged, available: number) => string;

const WINNER_SENTENCE: Record<Exclude<Basis, 'manual' | 'queued'>, Sentence> = {
  sticky: (w) => `Sticky: ${w.facts.agent.name}, the customer's last agent, is available.`,
  round_robin: (w, available) => `Round robin: ${w.facts.agent.name} was next among ${agents(available, 'available ')}.`,
  least_busy: (w, available) =>
    `Least busy: ${w.facts.agent.name} had ${openChats(w.facts.load, w.capacity)}, the fewest among ${agents(available, 'available ')}.`,
};

/** `judged` is every candidate with its verdict; `winner` is null exactly for manual and queued. */
export function explain(basis: Basis, winner: Judged | null, judged: Judged[]): string {
  if (basis === 'manual') return 'Manual: this policy routes no chats; the chat waits for someone to assign it.';
  if (basis === 'queued' || winner === null) return queued(judged);
  return WINNER_SENTENCE[basis](winner, judged.filter((j) => j.excluded === null).length);
}
