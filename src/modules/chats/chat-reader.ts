// Reading a chat as the API shows it: the view row plus the agents who wrote in it. Used by
// the chats service and by assignChat, which answers with the chat it wrote.
import type { Executor } from '../../db/database.ts';
import { NotFound } from '../../errors.ts';
import { presentChat, type Chat } from './chats.presenter.ts';
import { chatAgents, findChatView } from './chats.repository.ts';

export async function findChat(db: Executor, orgId: number, chatId: number): Promise<Chat | undefined> {
  const view = await findChatView(db, orgId, chatId);
  if (!view) return undefined;
  return presentChat(view, await chatAgents(db, orgId, chatId));
}

/** the chat, known to exist (e.g. inside the transaction that just wrote it) */
export async function readChat(db: Executor, orgId: number, chatId: number): Promise<Chat> {
  const chat = await findChat(db, orgId, chatId);
  if (!chat) throw new NotFound('Chat', chatId, 'body');
  return chat;
}
