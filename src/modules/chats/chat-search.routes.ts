import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';

/** GET /v1/chats and POST /v1/chats/search (API.md §4.1) */
export function chatSearchRoutes(_app: FastifyInstance, _deps: Deps): void {}
