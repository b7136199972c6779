// A webhook receiver on loopback for the delivery tests: records every request's raw body and
// headers and answers with whatever the test sets. Listens on 127.0.0.1 (or another loopback
// address) only — tests never connect anywhere else (issue 6).
import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** the raw body exactly as it arrived */
  body: string;
  json: any;
  headers: IncomingHttpHeaders;
  url: string;
}

export type Responder = (r: Received, res: ServerResponse) => void;

export const answer = (status: number, body = '', headers: Record<string, string> = {}): Responder => (_r, res) => {
  res.writeHead(status, headers).end(body);
};

export interface Receiver {
  /** a URL on this receiver (`path` defaults to /hook) */
  url(path?: string): string;
  received: Received[];
  /** TCP connections accepted so far */
  connections(): number;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(host = '127.0.0.1', responder: Responder = answer(200, 'ok')): Promise<Receiver> {
  const received: Received[] = [];
  let connections = 0;
  let respond = responder;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const r = { body, json, headers: req.headers, url: req.url ?? '' };
      received.push(r);
      respond(r, res);
    });
  });
  server.on('connection', () => connections++);
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: (path = '/hook') => `http://${hostPart}:${port}${path}`,
    received,
    connections: () => connections,
    respond: (r) => (respond = r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
