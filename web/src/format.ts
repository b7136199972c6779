// Words and times as a person reads them.
import type { AgentRef, Presence } from './types.ts';

export const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  opened: 'Open',
  pending: 'Pending',
  onhold: 'On hold',
  'no communication': 'No communication',
  closed: 'Closed',
  empty: 'Empty',
};

/** What an agent may set (PUT /v1/chats/status takes these wire names). */
export const SETTABLE_STATUSES = ['opened', 'pending', 'onhold', 'closed'] as const;
export const FILTER_STATUSES = ['new', 'opened', 'pending', 'onhold', 'closed'] as const;

export const statusLabel = (s: string) => STATUS_LABEL[s] ?? s;

export const PRESENCES: Presence[] = ['online', 'away', 'offline'];
export const presenceLabel = (p: Presence) => ({ online: 'Online', away: 'Away', offline: 'Offline' })[p] ?? p;

export const SOURCE_LABEL: Record<string, string> = { api: 'API', inbox: 'inbox', auto: 'routing', cli: 'command line' };

export const EXCLUDED_LABEL: Record<string, string> = {
  offline: 'offline',
  away: 'away',
  at_capacity: 'at capacity',
  deactivated: 'deactivated',
  not_in_department: 'not in the department',
};

const toDate = (seconds: string | null) => (seconds ? new Date(Number(seconds) * 1000) : null);

/** "14:05" today, "12 Mar 14:05" otherwise */
export function shortTime(seconds: string | null): string {
  const d = toDate(seconds);
  if (!d) return '';
  const now = new Date();
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(d.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }) })} ${time}`;
}

export function fullTime(seconds: string | null): string {
  const d = toDate(seconds);
  return d ? d.toLocaleString() : '';
}

export const agentName = (a: AgentRef | null | undefined) => (a ? a.name : 'nobody');

export function customerName(c: { name: string | null; email: string | null; id: number }): string {
  return c.name || c.email || `Customer #${c.id}`;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/** Single-letter shortcuts are off while the person types in a field. */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** A keydown meant as a shortcut: no modifier, not typed into a field. */
export function isShortcut(e: KeyboardEvent, key: string): boolean {
  return e.key === key && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target);
}
