import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { departmentBody, rateBody, readBody, snoozeBody, statusBody } from './chat-changes.schema.ts';
import { rateChat, setDepartment, setRead, setSnooze, setStatus, type ReadSide } from './chat-changes.service.ts';

/** PUT /v1/chats/status, /department, /snooze, /rate, /readByAgent, /readByCustomer, /read (API.md §4.2) */
export function chatChangeRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  // "in the future" is a rule on the value, checked against the same clock as the change.
  const snooze = snoozeBody(clock);

  app.put('/v1/chats/status', async (req) => setStatus(database, clock, req.auth, statusBody.parse(req.body)));
  app.put('/v1/chats/department', async (req) => setDepartment(database, clock, req.auth, departmentBody.parse(req.body)));
  app.put('/v1/chats/snooze', async (req) => setSnooze(database, clock, req.auth, snooze.parse(req.body)));
  app.put('/v1/chats/rate', async (req) => rateChat(database, clock, req.auth, rateBody.parse(req.body)));

  const read: Array<[string, ReadSide]> = [
    ['/v1/chats/readByAgent', 'agent'],
    ['/v1/chats/readByCustomer', 'customer'],
    ['/v1/chats/read', 'both'],
  ];
  for (const [path, side] of read) {
    app.put(path, async (req) => setRead(database, clock, req.auth, side, readBody.parse(req.body)));
  }
}
