// The import rules (.dependency-cruiser.cjs, run by CI as `npm run check:imports`) bite: a
// scratch tree with one wrong import per rule, checked with the repository's own configuration
// and the same command, must report every rule by name, and a tree that keeps them passes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** a scratch repository: package.json, tsconfig.json and the given files */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-imports-'));
  made.push(dir);
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'scratch', type: 'module', dependencies: { kept: '1' }, devDependencies: { devonly: '1' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }),
    'node_modules/kept/package.json': JSON.stringify({ name: 'kept', main: 'index.js' }),
    'node_modules/kept/index.js': 'export default 1;\n',
    'node_modules/devonly/package.json': JSON.stringify({ name: 'devonly', main: 'index.js' }),
    'node_modules/devonly/index.js': 'export default 1;\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** the rule names `npm run check:imports` reports for a tree (exit status with them) */
function check(dir: string): { status: number | null; rules: string[] } {
  const run = spawnSync(DEPCRUISE, ['--config', CONFIG, '.'], { cwd: dir, encoding: 'utf8' });
  // the lines CI prints: "  error <rule>: <from> → <to>"
  const rules = [...run.stdout.matchAll(/^\s*error ([\w-]+):/gm)].map((m) => m[1]);
  return { status: run.status, rules: [...new Set(rules)].sort() };
}

const imports = (...paths: string[]) => paths.map((p) => `import '${p}';\n`).join('') + 'export const x = 1;\n';

describe('import rules', () => {
  it('a tree that keeps the layering passes', () => {
    const dir = scratch({
      'src/lib/clock.ts': imports(),
      'src/errors.ts': imports(),
      'src/db/handle.ts': imports('kept'),
      'src/input/paging.ts': imports('../errors.ts', '../lib/clock.ts'),
      'src/events/outbox.ts': imports('../db/handle.ts', '../lib/clock.ts'),
      'src/http/auth.ts': imports('../errors.ts'),
      'src/modules/chats/chats.service.ts': imports('../../input/paging.ts', '../../events/outbox.ts', '../../db/handle.ts'),
      'src/modules/chats/chats.routes.ts': imports('../../http/auth.ts', './chats.service.ts'),
      'src/app.ts': imports('./modules/chats/chats.routes.ts'),
      'src/server.ts': imports('./app.ts'),
      'src/main.ts': imports('./server.ts'),
      'src/cli.ts': imports('./server.ts'),
      'bin/handoff.js': imports('../src/cli.ts'),
      'web/src/main.ts': imports('./api.ts'),
      'web/src/api.ts': imports(),
      'test/chats.test.ts': imports('../src/server.ts', 'devonly', '../client/index.ts'),
      'src/modules/chats/chats.response.ts': imports(),
      'client/http.ts': imports(),
      'client/index.ts': `import type { ChatSchema } from '../src/modules/chats/chats.response.ts';\n${imports('./http.ts')}`,
    });
    expect(check(dir)).toEqual({ status: 0, rules: [] });
  });

  it('one wrong import per rule: each is reported by name and the check fails', () => {
    const dir = scratch({
      'src/errors.ts': imports(),
      'src/config.ts': imports(),
      'src/db/handle.ts': imports('../config.ts'), // db-imports-no-app-code
      'src/lib/clock.ts': imports('../db/handle.ts'), // lib-imports-only-lib
      'src/input/paging.ts': imports('../http/auth.ts'), // input-imports-no-http-db-or-features
      'src/events/outbox.ts': imports('../modules/chats/chats.service.ts'), // events-import-no-features
      'src/http/auth.ts': imports('../errors.ts'),
      'src/modules/chats/chats.service.ts': imports('../../http/auth.ts', './chats.routes.ts', 'devonly', './missing.ts'),
      'src/modules/chats/chats.routes.ts': imports('../../http/auth.ts'),
      'src/modules/agents/a.ts': imports('./b.ts'), // no-circular
      'src/modules/agents/b.ts': imports('./a.ts', '../../main.ts', '../../../test/helpers.ts'),
      'src/main.ts': imports(),
      'test/helpers.ts': imports(),
      'web/src/main.ts': imports('../../src/modules/chats/chats.service.ts'), // web-talks-to-the-server-only-over-http
      'src/modules/chats/chats.response.ts': imports(),
      'src/api.ts': imports('../client/index.ts'), // server-code-imports-no-client
      'client/index.ts': `import type { Invalid } from '../src/errors.ts';\n${imports()}`, // client-imports-only-schema-types
      'client/types.ts': imports('../src/modules/chats/chats.response.ts'), // client-imports-schemas-only-as-types
    });
    const result = check(dir);
    expect(result.status).not.toBe(0);
    expect(result.rules).toEqual([
        'client-imports-only-schema-types',
        'client-imports-schemas-only-as-types',
        'db-imports-no-app-code',
        'events-import-no-features',
        'features-reach-http-only-from-routes',
        'input-imports-no-http-db-or-features',
        'lib-imports-only-lib',
        'no-circular',
        'no-dev-dependencies-in-server-code',
        'not-to-unresolvable',
        'nothing-imports-entry-points',
        'routes-registered-only-by-the-app',
        'server-code-imports-no-client',
        'server-code-imports-no-tests-or-bench',
        'web-talks-to-the-server-only-over-http',
    ]);
  });
});
