// [ext] The inbox's reads an API key may make (docs/inbox.md). The routes bound to a signed-in
// agent's cookie — POST, GET and DELETE /v1/inbox/session — are not here: they are the inbox
// page's, and an API key has no session (403).
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { Chat, InboxAgent, InboxChatsQuery, InboxSession, List, Ok } from '../types.ts';

export class Inbox {
  constructor(private readonly http: Http) {}

  /** GET /v1/inbox/agents: every agent with their open chats */
  agents(): Promise<List<InboxAgent>> {
    return this.http.request('GET', '/v1/inbox/agents');
  }

  /** GET /v1/inbox/chats: one page, most recently updated first (`view=mine` needs a session) */
  chats(query: InboxChatsQuery = {}): Promise<List<Chat>> {
    return this.http.request('GET', '/v1/inbox/chats', { query: { ...query } });
  }

  /** every chat of an inbox list */
  chatsAll(query: InboxChatsQuery = {}): AsyncGenerator<Chat, void, undefined> {
    return pages((p) => this.chats({ ...query, ...p }), query);
  }

  /** GET /v1/inbox/sessions: one page of the organization's open sessions */
  sessions(page: Page = {}): Promise<List<InboxSession>> {
    return this.http.request('GET', '/v1/inbox/sessions', { query: { ...page } });
  }

  /** DELETE /v1/inbox/sessions/{id}: revoke a session */
  revokeSession(id: number): Promise<Ok> {
    return this.http.request('DELETE', `/v1/inbox/sessions/${id}`);
  }
}
