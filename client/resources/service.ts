// [ext] The routes outside /v1: health probes and the API's own description. No key is needed;
// the client's is sent anyway and ignored. Handoff's only: HelpCrunch has none of them.
import type { Http } from '../http.ts';

export class Service {
  constructor(private readonly http: Http) {}

  /** GET /health/live */
  live(): Promise<{ status: 'ok' }> {
    return this.http.request('GET', '/health/live');
  }

  /** GET /health/ready: 503 (thrown) without its database */
  ready(): Promise<{ status: 'ok' | 'degraded'; version: string; checks?: Record<string, string> }> {
    return this.http.request('GET', '/health/ready');
  }

  /** GET /openapi.json: the OpenAPI 3.1 document */
  openapi(): Promise<Record<string, unknown>> {
    return this.http.request('GET', '/openapi.json');
  }

  /** GET /docs: the document rendered, as HTML */
  docs(): Promise<string> {
    return this.http.request('GET', '/docs', { headers: { accept: 'text/html' } });
  }
}
