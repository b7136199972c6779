// The newcomer's path (issue 2): `npm start` on a fresh data directory seeds a demo
// organization and prints a curl that works as printed; SIGTERM drains and exits 0.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startProcess } from './helpers/process.ts';
import { VERSION } from '../src/version.ts';

const sh = promisify(execFile);
const dirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-readme-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the README path', () => {
  it('the README gives the two commands and a curl of the assignee endpoint', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toMatch(/curl -X PUT [^\n]*\/v1\/chats\/assignee/);
  });

  it('npm start on a fresh data directory prints a curl that assigns a demo chat', async () => {
    const data = freshDataDir();
    const server = startProcess('npm', ['start'], { DATABASE_URL: `sqlite:${join(data, 'handoff.sqlite')}`, PORT: '0', HANDOFF_DEMO: '' });
    try {
      const [line] = await server.waitFor(/curl -X PUT .*\/v1\/chats\/assignee.*/);
      expect(server.output()).toMatch(/Demo API key \(shown only now\): hk_[0-9a-f]{40}/);
      const { stdout } = await sh('bash', ['-c', `${line} -s -w '\\n%{http_code}'`]);
      const [body, status] = stdout.trim().split('\n');
      expect(status).toBe('200');
      const chat = JSON.parse(body);
      const sent = JSON.parse(line.match(/-d '(.*)'/)![1]);
      expect(chat.id).toBe(sent.id);
      expect(chat.assignee.id).toBe(sent.assignee);

      // the inbox's address and the two sign-ins printed beside the key sign in as printed
      const [, inbox] = server.output().match(/Operator inbox: (http:\/\/\S+\/) /)!;
      const signIns = [...server.output().matchAll(/^ {2}(\S+@\S+) \((\w+)\) {2}password: (\S+)$/gm)];
      expect(signIns.map((m) => [m[1], m[2]])).toEqual([['alice@demo.handoff.local', 'admin'], ['bob@demo.handoff.local', 'agent']]);
      for (const [, email, role, password] of signIns) {
        const res = await fetch(new URL('v1/inbox/session', inbox), { method: 'POST', body: JSON.stringify({ email, password }) });
        expect(res.status).toBe(200);
        expect(res.headers.get('set-cookie')).toMatch(/^handoff_session=/);
        expect((await res.json()).data.agent).toMatchObject({ email, role });
      }
    } finally {
      server.stop();
      await server.exit();
    }
  });

  it('HANDOFF_DEMO=0 starts with an empty database; /health answers', async () => {
    const data = freshDataDir();
    const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], { DATABASE_URL: `sqlite:${join(data, 'h.sqlite')}`, PORT: '0', HANDOFF_DEMO: '0' });
    try {
      const [, url] = await server.waitFor(/Handoff is running on (http:\/\/[\d.]+:\d+)/);
      expect(server.output()).not.toContain('Demo API key');
      expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url}/health/ready`)).json()).toEqual({ status: 'ok', version: VERSION });
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exit()).toBe(0);
    }
  });

  it('SIGTERM lets an in-flight request finish, then exits 0', async () => {
    const data = freshDataDir();
    const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], { DATABASE_URL: `sqlite:${join(data, 'h.sqlite')}`, PORT: '0' });
    const [line] = await server.waitFor(/curl -X PUT .*/);
    const port = Number(line.match(/:(\d+)\/v1/)![1]);
    const key = line.match(/Bearer (hk_[0-9a-f]+)/)![1];
    const body = line.match(/-d '(.*)'/)![1];

    // Send the headers and half of the body, signal, then the rest: the request is in flight.
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const ended = new Promise((r) => socket.once('close', r));
    socket.write(`PUT /v1/chats/assignee HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.end(body.slice(5));
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"assignee":{');
    expect(await server.exit()).toBe(0);
  });

  it('a bad variable refuses start-up, listing every problem', async () => {
    const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], { PORT: 'eighty', SQLITE_SYNCHRONOUS: 'sometimes', DATABASE_URL: 'mysql://x' });
    expect(await server.exit()).toBe(1);
    expect(server.output()).toContain('PORT=eighty');
    expect(server.output()).toContain('SQLITE_SYNCHRONOUS=sometimes');
    expect(server.output()).toContain('DATABASE_URL=mysql://x');
    expect(server.output()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
