// One request: base URL + path, Bearer key, JSON in and out, the error envelope as a typed
// error, and a bounded retry when the server answers 429 with Retry-After.
import { errorItems, HandoffApiError } from './errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | undefined | null>;

export interface ClientOptions {
  /** the API key, sent as `Authorization: Bearer <apiKey>` */
  apiKey: string;
  /**
   * where the API is: its origin (and a path prefix, if it is served under one), without `/v1`.
   * Default `http://127.0.0.1:8080`; HelpCrunch itself is `https://api.helpcrunch.com`.
   */
  baseUrl?: string;
  /** the fetch to use (tests wrap it); default the global fetch of Node 20 */
  fetch?: typeof fetch;
  /** how many times a 429 is retried after its Retry-After; 0 disables. Default 2 */
  maxRetries?: number;
  /** a 429 asking to wait longer than this many seconds is not retried, but thrown. Default 60 */
  maxRetryAfter?: number;
  /** headers sent with every request (a User-Agent, a tracing header…) */
  headers?: Record<string, string>;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** `Retry-After` in seconds (an HTTP date is read too); undefined when absent or unreadable */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export class Http {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly maxRetries: number;
  private readonly maxRetryAfter: number;

  constructor(private readonly options: ClientOptions) {
    // Paths are absolute (`/v1/chats`) and appended as they are: the same client works against
    // Handoff and against HelpCrunch, whose base URL is an origin too.
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 2));
    this.maxRetryAfter = options.maxRetryAfter ?? 60;
  }

  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  headers(extra?: Record<string, string>): Record<string, string> {
    return { accept: 'application/json', ...this.options.headers, ...extra, authorization: `Bearer ${this.options.apiKey}` };
  }

  /** the answer's parsed JSON (or text, for a page that is not JSON), or a HandoffApiError */
  async request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    const text = await res.text();
    return parse(res, text) as T;
  }

  /**
   * The raw Response of a successful request (the event stream reads its body itself). A 429 is
   * retried after its Retry-After, at most `maxRetries` times. 429 means the request was not
   * processed (the limit is checked before the body is even read), so retrying is safe for
   * every method, a POST included. No other status is ever retried: a 5xx or a network error
   * after a POST may have changed something, and only the caller knows whether to repeat it.
   */
  async send(method: Method, path: string, opts: RequestOptions = {}): Promise<Response> {
    const request = `${method} ${path}`;
    const init: RequestInit = {
      method,
      headers: this.headers({ ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers }),
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      const res = await this.fetch(this.url(path, opts.query), init);
      if (res.ok) return res;
      const retryAfter = retryAfterSeconds(res.headers.get('retry-after'));
      const body = parse(res, await res.text());
      if (res.status === 429 && attempt < this.maxRetries && (retryAfter ?? 1) <= this.maxRetryAfter) {
        await sleep((retryAfter ?? 1) * 1000, opts.signal);
        continue;
      }
      throw new HandoffApiError(res.status, errorItems(body), request, retryAfter);
    }
  }
}

function parse(res: Response, text: string): unknown {
  const type = res.headers.get('content-type') ?? '';
  if (text === '') return undefined;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
