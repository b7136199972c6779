// The forced-shutdown deadline (issue 18 item 7): after SIGTERM the server answers what is in
// flight, but a client that never finishes its request cannot keep the process alive past
// SHUTDOWN_TIMEOUT_MS: it exits 1 at the deadline and says why. (A request that does finish
// is answered and the process exits 0: readme-path.test.ts.) The deadline is about the process,
// not the database: SQLite only.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB } from './helpers/app.ts';
import { startProcess } from './helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'handoff-deadline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(TEST_DB === 'postgres')('the shutdown deadline', () => {
  it('a client holding a request open does not keep the process alive past the deadline', async () => {
    const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], {
      DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}`, HANDOFF_DEMO: '0', LOG_FORMAT: 'json', PORT: '0', SHUTDOWN_TIMEOUT_MS: '500',
    });
    const [, port] = await server.waitFor(/Handoff is running on http:\/\/[\d.]+:(\d+)/);

    // A sign-in (public: its body is read before anything is answered): headers and part of a
    // body, and then nothing: the request stays in flight (for 60 s,
    // the body timeout, were it not for the deadline).
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => {}); // the process going away resets the connection
    socket.write('POST /v1/inbox/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"email":');
    await new Promise((r) => setTimeout(r, 200));

    server.child.kill('SIGTERM');
    const code = await server.exit();
    socket.destroy();

    expect(code).toBe(1);
    expect(answer).toBe(''); // it was never answered: the deadline, not the request, ended the process
    const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', deadlineMs: 500 });
    expect(lines.find((l) => String(l.msg).startsWith('shutdown deadline passed'))).toMatchObject({ level: 50, deadlineMs: 500 });
  });
});
