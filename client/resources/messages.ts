// Messages (API.md §4.1, §4.4).
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { BareList, CreateMessageRequest, Message } from '../types.ts';

export class Messages {
  constructor(private readonly http: Http) {}

  /** GET /v1/chats/{chatId}/messages: one page, newest first */
  list(chatId: number, page: Page = {}): Promise<BareList<Message>> {
    return this.http.request('GET', `/v1/chats/${chatId}/messages`, { query: { ...page } });
  }

  /** every message of a chat, newest first */
  listAll(chatId: number, page: Page = {}): AsyncGenerator<Message, void, undefined> {
    return pages((p) => this.list(chatId, p), page);
  }

  /** POST /v1/messages (200, as the reference answers); no `agent`: the customer writes */
  create(body: CreateMessageRequest): Promise<Message> {
    return this.http.request('POST', '/v1/messages', { body });
  }
}
