// buildApp(deps): Fastify with its plugins and the explicit list of module routes. Listening
// is server.ts's job; tests use app.inject or listen on port 0.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from './app-deps.ts';
import { RouteNotFound } from './errors.ts';
import { VERSION } from './version.ts';
import { historyRoutes } from './assignment/history.routes.ts';
import { policyRoutes } from './assignment/routing/policy.routes.ts';
import { routingRoutes } from './assignment/routing/routing.routes.ts';
import { createAuthenticator } from './http/auth.ts';
import { BODY_LIMIT, parseEveryBodyAsJson } from './http/body.ts';
import { clientErrorHandler } from './http/client-errors.ts';
import { refuseNulInQuery } from './http/nul.ts';
import { installErrorHandling, sendError } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { BUILT_INBOX_DIR, inboxStaticRoutes } from './http/inbox-static.ts';
import { installRateLimit } from './http/rate-limit.ts';
import { OneLinePerRequest } from './http/request-log.ts';
import { createLogger } from './logger.ts';
import { agentRoutes } from './modules/agents/agents.routes.ts';
import { applicationRoutes } from './modules/applications/applications.routes.ts';
import { chatChangeRoutes } from './modules/chats/chat-changes.routes.ts';
import { chatSearchRoutes } from './modules/chats/chat-search.routes.ts';
import { chatRoutes } from './modules/chats/chats.routes.ts';
import { messageRoutes } from './modules/messages/messages.routes.ts';
import { customerRoutes } from './modules/customers/customers.routes.ts';
import { customerEventRoutes } from './modules/customer-events/customer-events.routes.ts';
import { organizationRoutes } from './modules/organizations/organizations.routes.ts';
import { departmentRoutes } from './modules/departments/departments.routes.ts';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.ts';
import { eventStreamRoutes } from './modules/event-stream/event-stream.routes.ts';
import { inboxRoutes } from './modules/inbox/inbox.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { sessionRoutes, signInRoutes } from './modules/sessions/sessions.routes.ts';

export type { Deps } from './app-deps.ts';

/** A module's routes, registered inside the authenticated, rate-limited /v1 scope. */
export type V1Routes = (app: FastifyInstance, deps: Deps) => void;

/** Every authenticated /v1 resource, in one explicit list. */
const V1_ROUTES: V1Routes[] = [
  chatSearchRoutes, // before chatRoutes only for readability: /v1/chats and /v1/chats/search
  chatRoutes,
  chatChangeRoutes,
  messageRoutes,
  historyRoutes,
  routingRoutes,
  customerRoutes,
  customerEventRoutes,
  agentRoutes,
  departmentRoutes,
  applicationRoutes,
  organizationRoutes,
  policyRoutes,
  webhookRoutes,
  eventStreamRoutes,
  inboxRoutes,
  sessionRoutes,
];

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * `routes` is V1_ROUTES; the benchmark's stack floor (bench/app-floor-server.ts) passes routes
 * that answer without the database, to measure everything around them exactly as served.
 */
export async function buildApp(deps: Deps, routes: V1Routes[] = V1_ROUTES): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.log ?? createLogger(deps.config);
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's two lines per request are replaced by one (http/request-log.ts).
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT,
    // API.md §5: a body not complete within 60 s is cut off (headers: see headersTimeout below).
    requestTimeout: 60_000,
    // Node checks both timeouts on this interval (default 30 s: a stalled client then lasted
    // up to 57 s / 87 s); once a second keeps the cut within a second of API.md §5's limits.
    http: { connectionsCheckingInterval: 1_000 },
    clientErrorHandler,
    // Requests already on a connection are answered while draining instead of a bare 503.
    return503OnClosing: false,
    // Behind a load balancer: the client's address (sign-in limits) and scheme (Secure cookie).
    trustProxy: deps.config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // A URL Fastify cannot decode (bad percent-encoding) names nothing that exists.
    frameworkErrors: (_err, _req, reply) => void sendError(reply, new RouteNotFound()),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.server.headersTimeout = 30_000;
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    reply.header('handoff-version', VERSION);
    done();
  });

  installErrorHandling(app);
  parseEveryBodyAsJson(app);
  refuseNulInQuery(app);
  await installRateLimit(app, {
    perMinute: deps.config.rateLimitPerMinute,
    sessionPerMinute: deps.config.inboxRateLimitPerMinute,
    redis: deps.redis,
    prefix: deps.config.redisPrefix,
  });

  inboxStaticRoutes(app, { dir: BUILT_INBOX_DIR }); // the operator inbox's page at /, outside /v1
  healthRoutes(app, deps);
  openApiRoutes(app); // GET /openapi.json and /docs: public, like the health probes
  signInRoutes(app, deps); // public: a sign-in has no credentials yet
  const authenticator = createAuthenticator(deps.database, deps.clock);
  await app.register(async (v1) => {
    v1.addHook('onRequest', authenticator.hook);
    for (const register of routes) register(v1, deps);
  });
  return app;
}
