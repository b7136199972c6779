// No API key in any log line (issue 18 item 1), over a run an operator would make: a server
// logging JSON at the most verbose level; keys created with the CLI, used over HTTP (in the
// header, and pasted by mistake into a query and a path), one revoked with the CLI and then
// refused. Every line the server printed is a JSON log line, and none carries a key.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedDatabase, type TestDatabase } from './helpers/app.ts';
import { ROOT, startProcess, type ServerProcess } from './helpers/process.ts';

let shared: TestDatabase;
let server: ServerProcess;
let base: string;
beforeAll(async () => {
  shared = await sharedDatabase('logsecrets');
  server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], {
    DATABASE_URL: shared.url, NODE_ENV: '', HANDOFF_DEMO: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'trace', PORT: '0',
  });
  base = (await server.waitFor(/Handoff is running on (http:\/\/[\d.]+:\d+)/))[1];
});
afterAll(async () => {
  server?.stop();
  await server?.exit();
  await shared?.database.close();
  await shared?.drop();
});

/** the operator's CLI on the server's database; resolves with its JSON answer and what it wrote to stderr */
function handoff(...args: string[]): Promise<{ json: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('node', ['--import', 'tsx', 'src/cli.ts', ...args, '--json'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: shared.url } }, (err, stdout, stderr) =>
      err ? reject(new Error(`handoff ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve({ json: JSON.parse(stdout), stderr }),
    );
  });
}

const get = async (path: string, key?: string) => (await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })).status;

it('keys created with the CLI, used, pasted into URLs and revoked appear in no log line', async () => {
  const org = await handoff('org create', '--name', 'Log Secrets');
  const first: string = org.json.apiKey;
  const second = await handoff('key create', '--org', String(org.json.id), '--name', 'second');
  const other: string = second.json.apiKey;
  expect([first, other]).toEqual([expect.stringMatching(/^hk_[0-9a-f]{40}$/), expect.stringMatching(/^hk_[0-9a-f]{40}$/)]);

  expect(await get('/v1/agents', first)).toBe(200);
  expect(await get('/v1/agents', other)).toBe(200);
  const created = await fetch(`${base}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${other}` }, body: JSON.stringify({ name: 'Dana', email: 'dana@example.test' }) });
  expect(created.status).toBe(201);
  expect(await get(`/v1/agents?api_key=${other}`, first)).toBe(200); // a key pasted into a query
  expect(await get(`/v1/chats/${other}`, first)).toBe(404); // ... and into a path
  expect(await get('/v1/agents', `${first}0`)).toBe(401); // a wrong key that contains a right one

  const revoked = await handoff('key revoke', '--org', String(org.json.id), '--id', String(second.json.id));
  // a revoked key is refused within the 2 s its answer may be cached (docs/compatibility.md)
  await new Promise((r) => setTimeout(r, 2_100));
  expect(await get('/v1/agents', other)).toBe(401);

  // The server's lines are read after a last request: every earlier one has been written.
  expect(await get('/health/live')).toBe(200);
  await new Promise((r) => setTimeout(r, 200));
  const lines = server.output().split('\n').filter((l) => l.trim() !== '');
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line is JSON
  expect(entries.filter((e) => e.msg === 'request').map((e) => e.status)).toEqual([200, 200, 201, 200, 404, 401, 401, 200]);
  for (const text of [...lines, org.stderr, second.stderr, revoked.stderr]) {
    for (const key of [first, other]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3)); // nor its secret part alone
    }
  }
});
