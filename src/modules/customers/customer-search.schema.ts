// GET /v1/customers query and POST /v1/customers/search body (API.md §1, §4.1).
import { parseListRequest, parseSearchRequest, type Searchable } from '../search/request.ts';
import { searchBodySchema, sortSchema } from '../search/search.schema.ts';
import { CUSTOMER_FIELDS, CUSTOMER_SORTS } from './customer-search.fields.ts';

const CUSTOMERS: Searchable = { prefix: 'customers', fields: CUSTOMER_FIELDS, sorts: CUSTOMER_SORTS, defaultSort: 'createdAt' };

/** GET /v1/customers: sort and paging only, as GET /v1/chats */
export const parseCustomerList = (query: Record<string, unknown>) => parseListRequest(query, CUSTOMERS);
export const parseCustomerSearch = (body: unknown) => parseSearchRequest(body, CUSTOMERS);

/** for the OpenAPI document: the search body and the list's `sort` */
export const customerSearchSchema = searchBodySchema(CUSTOMERS);
export const customerSortSchema = sortSchema(CUSTOMERS);
