// The one error catalogue (DESIGN rule 4): services throw the domain errors below; only this
// file knows their HTTP statuses and the HelpCrunch envelope of API.md §2.

export interface ErrorItem {
  code: string;
  message: string;
}

export interface HttpError {
  status: number;
  body: { errors: ErrorItem[] };
}

const INVALID_REQUEST: ErrorItem = { code: 'invalid_request', message: 'Invalid request' };

export abstract class DomainError extends Error {}

/** One or more fields failed validation: 400 listing every failing field (API.md §2). */
export class Invalid extends DomainError {
  /**
   * `bare` drops the leading invalid_request item, for the few answers the reference gives
   * without it (a duplicate userId, API.md §4.4).
   */
  constructor(
    readonly items: ErrorItem[],
    readonly bare = false,
  ) {
    super(items.map((i) => `${i.code}: ${i.message}`).join('; '));
  }
  static field(code: string, message: string): Invalid {
    return new Invalid([{ code, message }]);
  }
}

/**
 * An entity that does not exist or belongs to another organization. `where` says how the id
 * arrived: in the URL (the general 404) or as the chat being changed in a body, which the
 * reference answers with its single-item `not_fount` (sic) 404 (API.md §2, §5).
 */
export class NotFound extends DomainError {
  constructor(
    readonly entity: string,
    readonly id: string | number,
    readonly where: 'path' | 'body' = 'path',
  ) {
    super(`${entity} for ID "${id}" was not found`);
  }
}

/** [ext] 409, e.g. an `expectedAssignee` that no longer holds (API.md §4.3). */
export class Conflict extends DomainError {}

/**
 * [ext] 403: the caller is known but may not do this (an inbox session's role, docs/inbox.md),
 * or a session's change came without its CSRF token (`code` 'csrf').
 */
export class Forbidden extends DomainError {
  constructor(
    readonly code: 'forbidden' | 'csrf',
    message: string,
  ) {
    super(message);
  }
}

export class Unauthorized extends DomainError {
  constructor() {
    super('Unauthorized');
  }
}

export class TooManyRequests extends DomainError {
  readonly statusCode = 429; // read by @fastify/rate-limit's contract; the envelope comes from here
  constructor() {
    super('Too many requests');
  }
}

export class RouteNotFound extends DomainError {
  constructor() {
    super('Route not found');
  }
}

export class MalformedBody extends DomainError {
  constructor(readonly reason: 'json' | 'too_large') {
    super(reason === 'json' ? 'Malformed JSON.' : 'Request body is too large.');
  }
}

const envelope = (status: number, ...items: ErrorItem[]): HttpError => ({ status, body: { errors: items } });

// Fastify's own errors that a client can cause, by code.
const FASTIFY_CLIENT_ERRORS: Record<string, MalformedBody['reason']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'json',
};

/** Maps any thrown value to the status and body a client gets. Unknown errors → generic 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof Invalid) return err.bare ? envelope(400, ...err.items) : envelope(400, INVALID_REQUEST, ...err.items);
  if (err instanceof NotFound) {
    if (err.where === 'body') return envelope(404, { code: 'not_fount', message: err.message });
    return envelope(404, INVALID_REQUEST, { code: 'not_found', message: `${err.entity} not found` });
  }
  if (err instanceof Conflict) return envelope(409, INVALID_REQUEST, { code: 'conflict', message: err.message });
  if (err instanceof Forbidden) return envelope(403, INVALID_REQUEST, { code: err.code, message: err.message });
  if (err instanceof Unauthorized) return envelope(401, INVALID_REQUEST, { code: 'unauthorized', message: 'Unauthorized' });
  if (err instanceof TooManyRequests) {
    return envelope(429, INVALID_REQUEST, { code: 'too_many_requests', message: 'Too many requests' });
  }
  if (err instanceof RouteNotFound) return envelope(404, INVALID_REQUEST, { code: 'not_found', message: 'Route not found' });
  const reason =
    err instanceof MalformedBody ? err.reason : FASTIFY_CLIENT_ERRORS[(err as { code?: string } | null)?.code ?? ''];
  if (reason === 'too_large') return envelope(413, INVALID_REQUEST, { code: 'body', message: 'Request body is too large.' });
  if (reason === 'json') return envelope(400, INVALID_REQUEST, { code: 'body', message: 'Malformed JSON.' });
  // Any other client error Fastify raises before our code runs (bad headers, aborted body…).
  const status = (err as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return envelope(400, INVALID_REQUEST, { code: 'request', message: 'Malformed request.' });
  }
  return envelope(500, { code: 'internal_error', message: 'Internal error' });
}
