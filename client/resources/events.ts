// [ext] GET /v1/events/stream: the organization's events, live, as an async iterator of parsed
// events. Breaking out of the loop (or aborting `signal`) closes the connection. The stream
// never ends by itself; when the connection drops the iterator ends, and iterating again with
// `lastEventId` set to the last event's `position` resumes without a gap.
import type { Http } from '../http.ts';
import type { StreamEvent } from '../types.ts';

export interface StreamOptions {
  /** resume after this position (sent as Last-Event-ID) */
  lastEventId?: string;
  signal?: AbortSignal;
}

export class Events {
  constructor(private readonly http: Http) {}

  async *stream(opts: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const controller = new AbortController();
    const abort = () => controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted) return;
    opts.signal?.addEventListener('abort', abort, { once: true });
    try {
      const res = await this.http.send('GET', '/v1/events/stream', {
        signal: controller.signal,
        headers: { accept: 'text/event-stream', ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) },
      });
      if (!res.body) return;
      yield* parseEventStream(res.body);
    } catch (err) {
      if (controller.signal.aborted) return; // the caller stopped it
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', abort);
      controller.abort(); // `break` in a for await lands here: close the connection
    }
  }
}

/** Server-Sent Events (the WHATWG format): `id:`, `event:`, `data:` fields, a blank line ends an event; comments (`: ping`) and `retry:` are skipped */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) yield { position: id, event: event || 'message', data: JSON.parse(data.join('\n')) };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'id') id = value;
      else if (name === 'event') event = value;
      else if (name === 'data') data.push(value);
    }
  }
}
