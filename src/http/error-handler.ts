// The single error handler: every error leaves in the HelpCrunch envelope (API.md §2) via
// errors.ts. Unknown errors are logged with the request id and answered with the generic 500.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RouteNotFound, toHttpError } from '../errors.ts';

export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body, headers } = toHttpError(err);
  if (status >= 500) reply.request.log.error({ err }, 'unhandled error');
  if (headers) reply.headers(headers);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, _request, reply) => sendError(reply, err));
  app.setNotFoundHandler((_request, reply) => sendError(reply, new RouteNotFound()));
}
