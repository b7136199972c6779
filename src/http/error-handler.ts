// The single error handler: every error leaves in the HelpCrunch envelope (API.md §2) via
// errors.ts. Unknown errors are logged with the request id and answered with the generic 500.
import type { FastifyInstance } from 'fastify';
import { RouteNotFound, toHttpError } from '../errors.ts';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) request.log.error({ err }, 'unhandled error');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    const { status, body } = toHttpError(new RouteNotFound());
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
}
