// The routes an inbox session may call (docs/inbox.md, "What a session may call"): the ones the
// page uses. Every other route keeps asking for an API key, so a stolen or shared browser
// session cannot manage keys, webhooks, customers or routing policies.
import { lookup } from '../lib/lookup.ts';

const SESSION_ROUTES = lookup({
  'GET /v1/chats': true,
  'GET /v1/chats/:id': true,
  'POST /v1/chats/search': true,
  'GET /v1/chats/:id/messages': true,
  'GET /v1/chats/:id/assignments': true,
  'GET /v1/agents': true,
  'GET /v1/departments': true,
  'GET /v1/organization': true,
  'GET /v1/customers/:id': true,
  'GET /v1/events/stream': true,
  'PUT /v1/chats/assignee': true,
  'PUT /v1/chats/status': true,
  'PUT /v1/chats/snooze': true,
  'PUT /v1/chats/department': true,
  'PUT /v1/chats/readByAgent': true,
  'POST /v1/messages': true,
  'PUT /v1/agents/:id/status': true,
  'GET /v1/organization/settings': true,
  'PUT /v1/organization/settings': true,
});

/** `url` is the route's pattern (`/v1/chats/:id`), not the request's path. */
export function sessionMayCall(method: string, url: string | undefined): boolean {
  if (url === undefined) return false;
  if (url.startsWith('/v1/inbox/')) return true;
  return SESSION_ROUTES[`${method === 'HEAD' ? 'GET' : method} ${url}`] === true;
}

/** A change made with a session must echo its CSRF token (docs/inbox.md). */
export const changesState = (method: string): boolean => method !== 'GET' && method !== 'HEAD';
