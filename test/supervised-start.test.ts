// `npm start` under a supervisor (systemd, a process manager, a container runtime): started in
// its own process group, stopped by one SIGTERM to the process it started — npm, the group's
// leader — and to nothing else. The server must drain and go: nothing left in the group, nothing
// answering on its port. (npm passes SIGTERM to the shell running the script; the script
// `exec`s node, so the server is that process, not an orphan behind a shell that died.)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './helpers/process.ts';

const data = mkdtempSync(join(tmpdir(), 'handoff-supervised-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** a loopback port nothing listens on (asked of the kernel, then released) */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status,
    () => null,
  );

/** true while any process of the group is alive */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

it('SIGTERM to npm start (the group leader only) stops the server: no process left, nothing answering', async () => {
  const port = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true, // its own process group, as a supervisor starts a service
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(data, 'h.sqlite')}`, HANDOFF_DEMO: '0' },
  });
  let output = '';
  npm.stdout!.on('data', (d) => (output += d));
  npm.stderr!.on('data', (d) => (output += d));
  const exited = once(npm, 'exit');
  const health = `http://127.0.0.1:${port}/health/live`;
  try {
    const deadline = Date.now() + 120_000; // a stale dist/ is compiled first
    while ((await answers(health)) !== 200) {
      if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`npm start never answered on ${port}:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    process.kill(npm.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((_, fail) => setTimeout(() => fail(new Error(`npm start still running 20 s after SIGTERM:\n${output}`)), 20_000))]);

    const gone = Date.now() + 10_000;
    while (groupAlive(npm.pid!) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive(npm.pid!), `a process of npm start's group outlived SIGTERM:\n${output}`).toBe(false);
    expect(await answers(health)).toBeNull();
  } finally {
    if (groupAlive(npm.pid!)) process.kill(-npm.pid!, 'SIGKILL');
  }
});
