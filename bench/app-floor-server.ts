// The stack's floor: Handoff's own app — the same Fastify options, request ids, logger, error
// handling, body parsing, API-key authentication and per-organization rate limit, built by
// the same buildApp() — with the chat routes replaced by ones that answer from memory: a fixed
// chat for GET /v1/chats/{id} and PUT /v1/chats/assignee (after validating the body as the
// real route does), a fixed page for POST /v1/chats/search. Each answer is an object, so it is
// serialised per request like a real one. What separates this row from the bare node:http
// baseline is the HTTP stack the issues mandate; what separates the real server from this row
// is the database work and the presenters. No real request can be faster than its floor.
import { readFileSync } from 'node:fs';
import { buildApp, type V1Routes } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/db/database.ts';
import { pathId } from '../src/input/params.ts';
import { systemClock } from '../src/lib/clock.ts';
import { assigneeBody } from '../src/modules/chats/chats.schema.ts';
import { parseChatSearch } from '../src/modules/chats/chat-search.schema.ts';

const chat: unknown = JSON.parse(process.env.BENCH_BODY ?? '{}');
const page: unknown = process.env.BENCH_PAGE_FILE ? JSON.parse(readFileSync(process.env.BENCH_PAGE_FILE, 'utf8')) : { data: [], total: 0 };

const fromMemory: V1Routes = (app) => {
  app.get<{ Params: { id: string } }>('/v1/chats/:id', async (req) => (pathId(req.params.id, 'Chat'), chat));
  app.put('/v1/chats/assignee', async (req) => (assigneeBody.parse(req.body), chat));
  app.post('/v1/chats/search', async (req) => (parseChatSearch(req.body), page));
};

// The database only answers the API-key lookup (cached like in the real server).
const config = loadConfig();
const database = openConfiguredDatabase(config);
const app = await buildApp({ config, database, clock: systemClock }, [fromMemory]);
await app.listen({ host: config.host, port: config.port });
process.once('SIGTERM', () => {
  void app.close().then(() => database.close()).then(() => process.exit(0));
});
