import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';

/** PUT /v1/chats/status, /department, /snooze, /rate, /readByAgent, /readByCustomer, /read (API.md §4.2) */
export function chatChangeRoutes(_app: FastifyInstance, _deps: Deps): void {}
