// Public shapes of routing (API.md §4.7 [ext]); presenters are the only code shaping JSON.
import { timestampOut } from '../../lib/timestamps.ts';
import type { Chat } from '../../modules/chats/chats.presenter.ts';
import type { RoutingTrace } from './decide.ts';
import type { WaitingChat } from './queue.repository.ts';

/** POST /v1/chats/{id}/route → `{chat, decision}` */
export const presentRouted = (chat: Chat, decision: RoutingTrace) => ({ chat, decision });

/** one department's line of GET /v1/organization/queue; positions count from 1, oldest first */
export function presentQueueLine(department: { id: number; name: string } | null, waiting: number, chats: WaitingChat[]) {
  return {
    department,
    waiting,
    chats: chats.map((c, i) => ({
      position: i + 1,
      id: c.id,
      queuedAt: timestampOut(c.queued_at),
      createdAt: timestampOut(c.created_at),
      customer: { id: c.customer_id, name: c.customer_name, email: c.customer_email, userId: c.customer_user_id },
    })),
  };
}
