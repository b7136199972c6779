// The setup most request-level suites share: a test app, a world (an organization with a chat,
// agents and a customer: factories.world()) and a client with its key — hooks registered here
// once instead of in every file. Read the fields inside tests (beforeAll sets them).
import { afterAll, beforeAll } from 'vitest';
import { buildTestApp, client, type Client, type TestApp, type TestAppOptions } from './app.ts';
import { factories } from './factories.ts';

export type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

export function worldSuite(opts: TestAppOptions = {}): { t: TestApp; w: World; api: Client } {
  const suite = {} as { t: TestApp; w: World; api: Client };
  beforeAll(async () => {
    suite.t = await buildTestApp(opts);
    suite.w = await factories(suite.t.database, suite.t.clock).world();
    suite.api = client(suite.t.app, suite.w.org.apiKey);
  });
  afterAll(() => suite.t?.close());
  return suite;
}
