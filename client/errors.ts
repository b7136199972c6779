// The error a Handoff (or HelpCrunch) answer becomes: the HTTP status and the envelope
// `{"errors":[{code, message}, …]}` every error carries. A 400's field items are named by their
// field path (`assignee`, `filter[0].field`, `[2].email`): `error.field('assignee')` reads one.

export interface ErrorItem {
  code: string;
  message: string;
}

/** the envelope's first item on most errors; the rest name what failed */
const GENERAL = 'invalid_request';

export class HandoffApiError extends Error {
  override readonly name = 'HandoffApiError';
  /** the method and path the request was sent to, e.g. `GET /v1/chats/7` */
  readonly request: string;

  constructor(
    readonly status: number,
    /** every item of the envelope, in order; empty when the answer carried no envelope */
    readonly errors: ErrorItem[],
    request: string,
    /** seconds, from `Retry-After` (a 429; the stream's 429 too) */
    readonly retryAfter?: number,
  ) {
    super(`${request} → ${status}: ${describe(errors)}`);
    this.request = request;
  }

  /** the reason given for one field (`error.field('assignee')`), or undefined when it did not fail */
  field(path: string): string | undefined {
    return this.errors.find((e) => e.code === path)?.message;
  }

  /** the items that name something (a field, `not_found`, `conflict`…): all but the general `invalid_request` */
  get details(): ErrorItem[] {
    return this.errors.filter((e) => e.code !== GENERAL);
  }

  /** whether an item has this code: `has('not_found')`, `has('not_fount')` (the reference's spelling), `has('conflict')` */
  has(code: string): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

function describe(errors: ErrorItem[]): string {
  const items = errors.filter((e) => e.code !== GENERAL);
  return (items.length > 0 ? items : errors).map((e) => `${e.code}: ${e.message}`).join('; ') || 'no error envelope';
}

/** the envelope's items, or [] when the body is not an envelope */
export function errorItems(body: unknown): ErrorItem[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({ code: String(e.code ?? ''), message: String(e.message ?? '') }));
}
