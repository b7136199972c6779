// Every call the page makes goes through `api`: same-origin, the session cookie, the CSRF token
// on every change (the server refuses a change without it), and the error envelope turned into
// messages a person can read. A 401 on any call means the session is gone: the app goes back
// to the sign-in page (see onSignedOut).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** the envelope's items other than the generic `invalid_request` one */
    readonly messages: string[],
  ) {
    super(messages.join(' ') || `The server answered ${status}.`);
  }
}

let csrfToken: string | null = null;
let signedOut: () => void = () => {};

/** Kept in memory only: a page reload reads it again with GET /v1/inbox/session. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

interface Envelope {
  errors?: { code?: string; message?: string }[];
  code?: string;
  message?: string;
}

function messagesOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const env = body as Envelope;
  const items = Array.isArray(env.errors) ? env.errors : env.message ? [env] : [];
  const specific = items.filter((e) => e.code !== 'invalid_request' && e.message);
  return (specific.length ? specific : items).map((e) => String(e.message ?? ''));
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function call<T>(method: Method, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) signedOut();
    throw new ApiError(res.status, messagesOf(parsed));
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, opts?: { quiet401?: boolean }) => call<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: { quiet401?: boolean }) => call<T>('POST', path, body, opts),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** `?a=1&b=x` from the set values only */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? `Could not reach the server (${err.message}).` : 'Something went wrong.';
}
