// Exact-shape assertions: the wire contract fixes key order and types (API.md §3), which
// deep equality alone does not check.
import { expect } from 'vitest';
import type { ApiResponse } from './app.ts';

export const CHAT_KEYS = [
  'id', 'closedBy', 'lastCustomerMessageAt', 'status', 'closedAt', 'rating', 'createdAt', 'lastMessageAt',
  'readByAgent', 'readByCustomer', 'createdWith', 'snoozedUntil', 'lastMessageText', 'lastMessageId',
  'applicationId', 'lastCommunicatedAgentId', 'agents', 'customer', 'assignee', 'department',
];

/** status and body exactly, key order included */
export function expectExact(res: ApiResponse, status: number, body: unknown): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body });
  expect(res.text).toBe(JSON.stringify(body));
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

export function expectError(res: ApiResponse, status: number, ...items: Array<{ code: string; message: string }>): void {
  expectExact(res, status, { errors: items });
}

export const INVALID = { code: 'invalid_request', message: 'Invalid request' };

export function expect400(res: ApiResponse, ...items: Array<{ code: string; message: string }>): void {
  expectError(res, 400, INVALID, ...items);
}

export const agentRef = (a: { id: number; name: string; email: string; role: string }) => ({ id: a.id, name: a.name, email: a.email, role: a.role });

type Ref = { id: number; name: string | null; email: string | null; role?: string; userId?: string | null };

/**
 * The exact Chat a freshly created (POST /v1/chats, status `empty`) chat shows, key order of
 * API.md §3; `assignee`/`department` as given. Written once for every test that checks it.
 */
export function freshChat(c: { id: number; createdAt: number; applicationId: number; customer: Ref; assignee?: Ref | null; department?: { id: number; name: string } | null }) {
  return {
    id: c.id,
    closedBy: null,
    lastCustomerMessageAt: null,
    status: 'empty',
    closedAt: null,
    rating: null,
    createdAt: String(c.createdAt),
    lastMessageAt: null,
    readByAgent: false,
    readByCustomer: false,
    createdWith: 'public_api',
    snoozedUntil: null,
    lastMessageText: null,
    lastMessageId: null,
    applicationId: c.applicationId,
    lastCommunicatedAgentId: null,
    agents: [],
    customer: c.customer,
    assignee: c.assignee ?? null,
    department: c.department ?? null,
  };
}
