// dist/ is built when missing or stale and only then (scripts/build-server.mjs, through the
// `handoff` launcher bin/handoff.js). A scratch project holds the real launcher, build script and
// tsconfigs around a three-file src/, so each compile takes a second, not the whole server's.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/process.ts';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scratch({ withDependencies }: { withDependencies: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-build-'));
  made.push(dir);
  for (const path of ['bin/handoff.js', 'scripts/build-server.mjs', 'tsconfig.json', 'tsconfig.build.json']) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', type: 'module' }));
  if (withDependencies) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  write(dir, 'src/cli.ts', "import { greeting } from './lib/greeting.ts';\nimport { WORKER } from './db/paths.ts';\nconsole.log(greeting(), WORKER);\n");
  write(dir, 'src/lib/greeting.ts', "export const greeting = (): string => 'hello';\n");
  write(dir, 'src/db/paths.ts', "import { existsSync } from 'node:fs';\nexport const WORKER = existsSync(new URL('./worker.mjs', import.meta.url)) ? 'worker found' : 'worker missing';\n");
  write(dir, 'src/db/worker.mjs', '// plain JavaScript beside the sources, copied as is\n');
  write(dir, 'src/main.ts', "console.log('main');\n");
  return dir;
}

function write(dir: string, path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const handoff = (dir: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile('node', ['bin/handoff.js'], { cwd: dir }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })),
  );
const BUILT = /^build: compiled src\/ into dist\/ in \d+\.\d s\n$/;

describe('the launcher in a checkout', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratch({ withDependencies: true });
  });

  it('compiles a missing dist/ first (one line on stderr), then runs dist/cli.js', async () => {
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    const first = await handoff(dir);
    expect(first).toMatchObject({ code: 0, stdout: 'hello worker found\n' });
    expect(first.stderr).toMatch(BUILT);
    // relative imports rewritten from .ts to .js; the plain .mjs beside the sources copied
    expect(readFileSync(join(dir, 'dist/cli.js'), 'utf8')).toContain('from "./lib/greeting.js"');
    expect(existsSync(join(dir, 'dist/db/worker.mjs'))).toBe(true);
  });

  it('runs without compiling while the sources are unchanged, even when only their times changed', async () => {
    expect(await handoff(dir)).toEqual({ code: 0, stdout: 'hello worker found\n', stderr: '' });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src/lib/greeting.ts'), later, later);
    expect(await handoff(dir)).toEqual({ code: 0, stdout: 'hello worker found\n', stderr: '' });
  });

  it('an edited source is compiled before the run; a deleted one leaves nothing behind in dist/', async () => {
    write(dir, 'src/lib/greeting.ts', "export const greeting = (): string => 'hello again';\n");
    write(dir, 'src/old.ts', 'export const old = 1;\n');
    const edited = await handoff(dir);
    expect(edited.stdout).toBe('hello again worker found\n');
    expect(edited.stderr).toMatch(BUILT);
    expect(existsSync(join(dir, 'dist/old.js'))).toBe(true);

    rmSync(join(dir, 'src/old.ts'));
    expect((await handoff(dir)).stderr).toMatch(BUILT);
    expect(existsSync(join(dir, 'dist/old.js'))).toBe(false);
  });

  it('two runs at once on stale sources: one compiles, the other waits for it, both run', async () => {
    write(dir, 'src/lib/greeting.ts', "export const greeting = (): string => 'hello twice';\n");
    const runs = await Promise.all([handoff(dir), handoff(dir)]);
    expect(runs.map((r) => [r.code, r.stdout])).toEqual([
      [0, 'hello twice worker found\n'],
      [0, 'hello twice worker found\n'],
    ]);
    expect(runs.filter((r) => BUILT.test(r.stderr))).toHaveLength(1);
    expect(runs.filter((r) => r.stderr === '')).toHaveLength(1);
  });

  it('a source that does not compile: exit 1 with tsc\'s message, and the previous dist/ stays whole', async () => {
    write(dir, 'src/lib/greeting.ts', "export const greeting = (): number => 'not a number';\n");
    const broken = await handoff(dir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('tsc failed');
    expect(broken.stderr).toContain('src/lib/greeting.ts');
    expect(readFileSync(join(dir, 'dist/lib/greeting.js'), 'utf8')).toContain('hello twice');
  });
});

describe('without the dev dependencies (npm ci --omit=dev)', () => {
  it('prepare skips the build with one line; the launcher says what to run instead of failing obscurely', async () => {
    const dir = scratch({ withDependencies: false });
    const prepare = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile('node', ['scripts/build-server.mjs', '--if-possible'], { cwd: dir }, (err, stdout) => done({ code: err ? 1 : 0, stdout })),
    );
    expect(prepare).toEqual({ code: 0, stdout: 'build: TypeScript is not installed (production install); dist/ left as it is\n' });
    const run = await handoff(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('run `npm install`, then `npm run build`');
  });
});
