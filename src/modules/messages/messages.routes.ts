import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';

/** POST /v1/messages and GET /v1/chats/{id}/messages (API.md §4.1, §4.4) */
export function messageRoutes(_app: FastifyInstance, _deps: Deps): void {}
