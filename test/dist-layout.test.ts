// The Docker image without Docker (not on the CI machine). The Dockerfile's runtime stage is
// read — its WORKDIR, ENV, COPY --from=build, HEALTHCHECK and CMD lines — and the files it copies
// are laid out the same way in a scratch directory (node_modules: the production packages of
// package-lock.json only), which is then run as CMD runs it: the same argv, the image's
// environment, cwd = its WORKDIR. A COPY added, renamed or dropped in the Dockerfile changes
// what this test builds, so the two cannot drift apart.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/process.ts';

interface Stage {
  from: string;
  name: string | null;
  workdir: string;
  env: Record<string, string>;
  copies: { from: string | null; sources: string[]; dest: string }[];
  healthcheck: string[] | null;
  cmd: string[] | null;
}

/** The Dockerfile's stages, with the instructions this test needs (continuation lines joined). */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, instruction, rest] = line.match(/^(\w+)\s+(.*)$/)!;
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case 'FROM': {
        const [, from, name] = rest.match(/^(\S+)(?:\s+AS\s+(\S+))?/i)!;
        stages.push({ from, name: name ?? null, workdir: '/', env: {}, copies: [], healthcheck: null, cmd: null });
        break;
      }
      case 'WORKDIR':
        stage!.workdir = posix.resolve(stage!.workdir, rest);
        break;
      case 'ENV':
        for (const [, key, value] of rest.matchAll(/(\w+)=("[^"]*"|\S*)/g)) stage!.env[key] = value.replace(/^"(.*)"$/, '$1');
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
        const paths = words.filter((w) => !w.startsWith('--'));
        stage!.copies.push({ from, sources: paths.slice(0, -1), dest: paths.at(-1)! });
        break;
      }
      case 'HEALTHCHECK':
        stage!.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD ') + 4));
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(rest);
        break;
    }
  }
  return stages;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1)!;
const build = dockerfile.find((s) => s.name !== null && runtime.copies.some((c) => c.from === s.name))!;

/** the production packages npm ci + npm prune --omit=dev keep at the top of node_modules */
function productionNodeModules(into: string): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
  const installed = realpathSync(join(ROOT, 'node_modules'));
  const names = Object.entries(lock.packages)
    .filter(([path, p]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !p.dev)
    .map(([path]) => path.slice('node_modules/'.length));
  mkdirSync(into, { recursive: true });
  for (const name of names) {
    if (!existsSync(join(installed, name))) continue; // an optional package of another platform
    mkdirSync(dirname(join(into, name)), { recursive: true });
    symlinkSync(join(installed, name), join(into, name), 'dir');
  }
  return names;
}

/** Lays out what the runtime stage copies from the build stage; answers the image's WORKDIR. */
function layOut(image: string): string {
  const buildRoot = build.workdir;
  for (const copy of runtime.copies) {
    const line = `COPY ${copy.sources.join(' ')} ${copy.dest}`;
    expect(copy.from, `the runtime stage copies only from the build stage: ${line}`).toBe(build.name);
    expect(copy.sources, `one source per COPY (its destination is then its new name): ${line}`).toHaveLength(1);
    const source = posix.relative(buildRoot, posix.resolve(buildRoot, copy.sources[0]));
    expect(source.startsWith('..'), `${line}: inside the build stage's WORKDIR`).toBe(false);
    const dest = join(image, posix.resolve(runtime.workdir, copy.dest));
    if (source === 'node_modules') productionNodeModules(dest);
    else cpSync(join(ROOT, source), dest, { recursive: true });
  }
  return join(image, runtime.workdir);
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const run = (argv: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(argv[0], argv.slice(1), { cwd, env }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })),
  );

describe('the image layout (Dockerfile runtime stage) run as its CMD', () => {
  let scratch: string;
  let app: string;
  let env: NodeJS.ProcessEnv;
  let baseUrl: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'handoff-image-'));
    app = layOut(scratch);
    const port = await freePort();
    // The image's environment, not this process's: only PATH and HOME besides its ENV lines.
    // Two overrides, as `docker run -e` would: a free port, and loopback (tests listen on
    // nothing else) instead of the image's 0.0.0.0.
    env = { PATH: process.env.PATH, HOME: app, ...runtime.env, PORT: String(port), HOST: '127.0.0.1' };
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the Dockerfile is multi-stage, runs as a non-root user, and its CMD is node dist/main.js', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER (?!root\b)\S+/m);
    expect(runtime.cmd).toEqual(['node', 'dist/main.js']);
    expect(runtime.healthcheck?.[0]).toBe('node'); // no curl in a slim image
    expect(runtime.healthcheck?.join(' ')).toContain('/health/ready');
    // what the server reads from disk is there; the sources and the dev tools are not
    for (const path of ['package.json', 'dist/main.js', 'dist/cli.js', 'dist/db/checkpoint-worker.mjs', 'web/dist/index.html', 'node_modules/fastify']) {
      expect(existsSync(join(app, path)), path).toBe(true);
    }
    for (const path of ['src', 'test', 'node_modules/vitest', 'node_modules/typescript']) expect(existsSync(join(app, path)), path).toBe(false);
  });

  it('runs as CMD does: /health/ready and the health check answer, the demo data serves a request, SIGTERM exits 0', async () => {
    // The operator's way to data in an image: the CLI from the same layout.
    const seeded = await run(['node', 'dist/cli.js', 'demo', '--json'], app, env);
    expect(seeded, seeded.stderr).toMatchObject({ code: 0, stderr: '' });
    const demo = JSON.parse(seeded.stdout) as { apiKey: string; agentIds: number[]; chatIds: number[] };

    const server = spawn(runtime.cmd![0], runtime.cmd!.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    const exited = once(server, 'exit');
    try {
      const deadline = Date.now() + 30_000;
      let ready: Response | null = null;
      while (!ready?.ok) {
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the image's CMD never became ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
        ready = await fetch(`${baseUrl}/health/ready`).catch(() => null);
      }
      expect(ready.headers.get('handoff-version')).toBe(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).version);
      expect(await run(runtime.healthcheck!, app, env)).toMatchObject({ code: 0 });

      const assigned = await fetch(`${baseUrl}/v1/chats/assignee`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${demo.apiKey}` },
        body: JSON.stringify({ id: demo.chatIds[0], assignee: demo.agentIds[1] }),
      });
      expect(assigned.status).toBe(200);
      expect((await assigned.json()).assignee.id).toBe(demo.agentIds[1]);
      // what is read from disk at run time: the inbox page (web/dist), Swagger UI
      // (node_modules/swagger-ui-dist) and the version in the OpenAPI document (package.json)
      const page = await fetch(`${baseUrl}/`);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect((await fetch(`${baseUrl}/docs/swagger-ui.css`)).status).toBe(200);
      const openapi = await fetch(`${baseUrl}/openapi.json`);
      expect((await openapi.json()).info.version).toBe(ready.headers.get('handoff-version'));
    } finally {
      server.kill('SIGTERM');
    }
    expect((await exited)[0]).toBe(0);
    expect((await run(runtime.healthcheck!, app, env)).code).not.toBe(0);
  });
});
