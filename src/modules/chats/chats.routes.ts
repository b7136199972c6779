import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { pathId } from '../../input/params.ts';
import { assigneeBody, createChatBody } from './chats.schema.ts';
import { createChat, getChat, setAssignee } from './chats.service.ts';

export function chatRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  // the Chat as JSON text already (the same bytes as the chat.assigned event's chat): sent as is
  app.put('/v1/chats/assignee', async (req, reply) =>
    reply.type('application/json; charset=utf-8').send(await setAssignee(database, clock, req.auth, assigneeBody.parse(req.body))),
  );

  app.get<{ Params: { id: string } }>('/v1/chats/:id', async (req) =>
    getChat(database.db, req.auth.orgId, pathId(req.params.id, 'Chat')),
  );

  app.post('/v1/chats', async (req, reply) => {
    const chat = await createChat(database, clock, req.auth, createChatBody.parse(req.body));
    return reply.code(201).send(chat);
  });
}
