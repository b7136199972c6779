// Compiles the server and the CLI (src/ → dist/) with tsc (tsconfig.build.json) when the build
// is missing or stale. Stale = the content hash of the inputs (every file under src/, the
// tsconfigs, this script) differs from the one stored in dist/.build-hash, so an edit, a branch
// switch or a pull rebuilds, and nothing else does. `--force` always builds; `--if-possible`
// (npm's `prepare`) skips with one line when TypeScript is not installed (`npm ci --omit=dev`).
// Plain Node ESM: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC_DIR = join(ROOT, 'src');
export const DIST_DIR = join(ROOT, 'dist');
const HASH_FILE = join(DIST_DIR, '.build-hash');
/** held while one process builds, so two starts at once never write dist/ together */
const LOCK_DIR = join(ROOT, '.dist-build-lock');

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What a build is made of; any change to one of these makes the build stale. */
function inputs() {
  const own = fileURLToPath(import.meta.url);
  return [join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json'), own, ...filesUnder(SRC_DIR)].filter((p) => existsSync(p)).sort();
}

export function inputsHash() {
  const hash = createHash('sha256');
  for (const path of inputs()) {
    // The name too: a renamed file is a different input.
    hash.update(relative(ROOT, path).split('\\').join('/')).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

/** true when dist/ was built from exactly the sources present now */
export function serverBuildIsFresh(hash = inputsHash()) {
  return existsSync(join(DIST_DIR, 'main.js')) && existsSync(join(DIST_DIR, 'cli.js')) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === hash;
}

function tscPath() {
  try {
    return createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/** Takes the build lock, waiting for another builder (or clearing the lock of a dead one). */
async function lock() {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      return () => rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
    } catch {
      // the holder has made the directory but not yet written its pid
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(LOCK_DIR, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`another build has held ${relative(ROOT, LOCK_DIR)} for 5 minutes; remove it if no build is running`);
    else await sleep(100);
  }
}

/**
 * Builds when needed (or always with force); answers what it did. `log` receives the one line
 * to show (the CLI passes stderr, so its stdout stays one JSON document).
 */
export async function buildServer({ force = false, ifPossible = false, log = console.log } = {}) {
  if (!existsSync(SRC_DIR) && existsSync(join(DIST_DIR, 'main.js'))) return 'up to date'; // an image: dist/ without its sources
  if (!force && serverBuildIsFresh()) return 'up to date';
  const tsc = tscPath();
  if (!tsc) {
    if (ifPossible) {
      log('build: TypeScript is not installed (production install); dist/ left as it is');
      return 'skipped';
    }
    throw new Error('dist/ is missing or older than src/, and TypeScript (a dev dependency) is not installed: run `npm install`, then `npm run build`');
  }
  const release = await lock();
  try {
    const hash = inputsHash();
    if (!force && serverBuildIsFresh(hash)) return 'up to date'; // built by the holder we waited for
    const started = Date.now();
    // Into a fresh directory, then swapped in: no file of a deleted source lingers in dist/,
    // and a failed compile leaves the previous build whole.
    const next = join(ROOT, `.dist-next-${process.pid}`);
    rmSync(next, { recursive: true, force: true });
    const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', next], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) {
      rmSync(next, { recursive: true, force: true });
      throw new Error(`tsc failed:\n${run.stdout}${run.stderr}`);
    }
    // tsc emits only what it compiles; the plain JavaScript beside the sources (the SQLite
    // checkpoint worker) is copied as is.
    for (const path of filesUnder(SRC_DIR).filter((p) => /\.(mjs|cjs|js|json)$/.test(p))) {
      cpSync(path, join(next, relative(SRC_DIR, path)));
    }
    writeFileSync(join(next, '.build-hash'), `${hash}\n`);
    rmSync(DIST_DIR, { recursive: true, force: true });
    renameSync(next, DIST_DIR);
    log(`build: compiled src/ into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 'built';
  } finally {
    release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildServer({ force: process.argv.includes('--force'), ifPossible: process.argv.includes('--if-possible') }).then(
    (did) => did === 'up to date' && console.log('build: dist/ is up to date'),
    (err) => {
      console.error(`build: ${err?.message ?? err}`);
      process.exit(1);
    },
  );
}
