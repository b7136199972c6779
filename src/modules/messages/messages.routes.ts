import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { requireOwnMessage, withSessionAgent } from './messages.policy.ts';
import { createMessageBody } from './messages.schema.ts';
import { chatMessages, postMessage } from './messages.service.ts';

/** POST /v1/messages and GET /v1/chats/{id}/messages (API.md §4.1, §4.4) */
export function messageRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  // 200, not 201: the reference answers this create with 200 (API.md §4.4).
  // From the inbox the session's agent writes it (messages.policy.ts): field shapes → 403 → the chat's 404.
  app.post('/v1/messages', async (req) => {
    const input = createMessageBody.parse(withSessionAgent(req.body, req.auth.session));
    requireOwnMessage(input, req.auth.session);
    return postMessage(database, clock, req.auth.orgId, input);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/chats/:id/messages', async (req) => {
    const chatId = pathId(req.params.id, 'Chat');
    return presentList('bare list', await chatMessages(database.db, req.auth.orgId, chatId, parsePage(req.query)));
  });
}
