// Every server under test runs in its own child process, so the load generator (autocannon, in
// the bench process) never shares an event loop with it. Children are tracked and killed
// when the bench exits for any reason, so a failed run leaves no listener behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const HOST = '127.0.0.1';

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A port free right now: listen on 0, read it, close. The child binds it a moment later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

export interface StartOptions {
  /** a label for messages and profile file names */
  name: string;
  /** the script to run with `node --import tsx` */
  script: string;
  env: Record<string, string>;
  /** GET path answering 200 once the server is ready */
  readyPath: string;
  /** write a V8 CPU profile of the child into this directory on exit */
  profileDir?: string;
  /** also write the child's whole output to this file (a long run's errors outlive the tail kept below) */
  logFile?: string;
}

export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = ['--import', 'tsx'];
  if (opts.profileDir) {
    // One directory per server: the tsx loader thread writes its own profile beside the main one.
    const dir = join(opts.profileDir, opts.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = spawn(process.execPath, [...nodeArgs, opts.script], {
    env: { ...process.env, ...opts.env, HOST, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // Keep the tail of the output to explain a failed start; draining also keeps pipes from filling.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (opts.logFile) {
    const log = createWriteStream(opts.logFile);
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('exit', () => log.end());
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));

  const url = `http://${HOST}:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM'); // server.ts drains and exits 0; the CPU profile is written then
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 30_000;
  let dead = false;
  exited.then(() => (dead = true));
  while (!dead && Date.now() < deadline) {
    try {
      const res = await fetch(url + opts.readyPath);
      if (res.ok) return { url, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${opts.name} did not become ready on ${url}${dead ? ` (exited ${child.exitCode})` : ''}:\n${output}`);
}

export function profileDirFor(root: string): string | undefined {
  return process.env.BENCH_PROFILE === '1' ? join(root, '.bench', 'profiles') : undefined;
}

/** Runs `use` against a started server and stops the server afterwards, whatever happens. */
export async function withServer<T>(opts: StartOptions, use: (url: string, pid: number) => Promise<T>): Promise<T> {
  const server = await startServer(opts);
  try {
    return await use(server.url, server.pid);
  } finally {
    await server.stop();
  }
}
