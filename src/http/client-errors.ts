// What Node's HTTP parser refuses before any route runs — a request not complete in time,
// headers too large, bytes that are not HTTP — answered in the HelpCrunch envelope (API.md §2)
// like every other error, instead of Fastify's own `{"error","message","statusCode"}` body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { toHttpError } from '../errors.ts';

const INVALID_REQUEST = { code: 'invalid_request', message: 'Invalid request' };

function answerFor(code: string | undefined): { status: number; body: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, body: JSON.stringify({ errors: [INVALID_REQUEST, { code: 'request', message: 'The request was not complete in time.' }] }) };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, body: JSON.stringify({ errors: [INVALID_REQUEST, { code: 'headers', message: 'Request headers are too large.' }] }) };
  }
  const { status, body } = toHttpError({ statusCode: 400 });
  return { status, body: JSON.stringify(body) };
}

/** Fastify's `clientErrorHandler`: the socket gets one envelope answer, then is closed. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, body } = answerFor(err.code);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
