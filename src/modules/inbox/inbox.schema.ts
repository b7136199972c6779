// GET /v1/inbox/chats query (docs/inbox.md, "The inbox's own reads"). Every failing key is
// reported in one 400, paging's included; an empty value (`?status=`) is the same as none.
import type { ChatStatus } from '../../db/schema.ts';
import { Invalid, type ErrorItem } from '../../errors.ts';
import { parsePage, type Page } from '../../input/pagination.ts';
import { body, choice, custom, optionalId, text, accept, type Field } from '../../input/validate.ts';
import { CHAT_STATUSES, STATUS_ALIASES } from '../chats/chat-values.ts';

export const INBOX_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

const blankIsAbsent = <T>(field: Field<T | undefined>): Field<T | undefined> =>
  custom(field.schema, (raw, present) => (raw === '' ? accept(undefined) : field.parse(raw, present)));

/** the query's keys; exported for the OpenAPI document */
export const inboxChatsQueryFields = body({
  view: choice(INBOX_VIEWS, { required: false }),
  department: blankIsAbsent(optionalId()),
  // the names and aliases PUT /v1/chats/status takes, and `empty`: a status a chat can be in
  status: choice(CHAT_STATUSES, { required: false, aliases: STATUS_ALIASES }),
  q: text({ required: false, maxLength: 200 }),
});

export interface InboxChatsQuery {
  view: InboxView;
  department: number | undefined;
  status: ChatStatus | undefined;
  /** trimmed; undefined when blank */
  q: string | undefined;
  page: Page;
}

/** `signedIn`: whether a session asks; `view=mine` means nothing to an API key */
export function parseInboxChatsQuery(query: Record<string, unknown>, signedIn: boolean): InboxChatsQuery {
  const items: ErrorItem[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      items.push(...err.items);
      return undefined;
    }
  };
  const f = attempt(() => inboxChatsQueryFields.parse(query));
  const page = attempt(() => parsePage(query));
  if (f?.view === 'mine' && !signedIn) {
    items.push({ code: 'view', message: 'The view "mine" needs a signed-in agent: an API key has no chats of its own.' });
  }
  if (items.length > 0 || !f || !page) throw new Invalid(items.sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code)));
  const q = f.q?.trim();
  return { view: f.view ?? 'all', department: f.department, status: f.status, q: q === '' ? undefined : q, page };
}

const ORDER = ['view', 'department', 'status', 'q', 'offset', 'limit'];


