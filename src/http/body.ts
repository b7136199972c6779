// API.md §1: the body is JSON whatever the Content-Type (real clients send none, or
// text/plain); DELETE bodies are read too; 1 MiB at most.
import type { FastifyInstance } from 'fastify';
import { MalformedBody } from '../errors.ts';
import { refuseDeepBody } from './nesting.ts';
import { refuseNulInBody } from './nul.ts';

export const BODY_LIMIT = 1024 * 1024;

export function parseEveryBodyAsJson(app: FastifyInstance): void {
  // Fastify's own parser keeps its protection against __proto__/constructor poisoning;
  // such keys are dropped like any other unknown field.
  const json = app.getDefaultJsonParser('remove', 'remove');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    json(req, text, (err, value) => {
      if (err) return done(new MalformedBody('json'), undefined);
      try {
        refuseDeepBody(text); // first: the NUL walk below recurses
        refuseNulInBody(text, value);
      } catch (refused) {
        return done(refused as Error, undefined);
      }
      done(null, value);
    });
  });
}
