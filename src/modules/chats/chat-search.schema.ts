// GET /v1/chats query and POST /v1/chats/search body (API.md §1, §4.1).
import { parseListRequest, parseSearchRequest, type Searchable } from '../search/request.ts';
import { searchBodySchema, sortSchema } from '../search/search.schema.ts';
import { CHAT_FIELDS, CHAT_SORTS } from './chat-search.fields.ts';

const CHATS: Searchable = { prefix: 'chats', fields: CHAT_FIELDS, sorts: CHAT_SORTS, defaultSort: 'createdAt' };

export const parseChatList = (query: Record<string, unknown>) => parseListRequest(query, CHATS);
export const parseChatSearch = (body: unknown) => parseSearchRequest(body, CHATS);

/** for the OpenAPI document: the search body and the list's `sort` */
export const chatSearchSchema = searchBodySchema(CHATS);
export const chatSortSchema = sortSchema(CHATS);
