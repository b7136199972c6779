// Builds the inbox (web/ → web/dist/) with Vite's JS API when the build is missing or stale.
// Stale = the content hash of the inputs differs from the one stored in web/dist/.build-hash,
// so `npm start` rebuilds only after web/ or the locked dependencies changed. `--force` always
// builds. Prints one line: built, or up to date. Plain Node ESM: runs before tsx is needed.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = join(ROOT, 'web');
export const DIST_DIR = join(WEB_DIR, 'dist');
const HASH_FILE = join(DIST_DIR, '.build-hash');

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What a build is made of; any change to one of these makes the build stale. */
function inputs() {
  const configs = readdirSync(WEB_DIR).filter((n) => n.startsWith('vite.config.')).map((n) => join(WEB_DIR, n));
  return [join(WEB_DIR, 'index.html'), join(WEB_DIR, 'tsconfig.json'), join(ROOT, 'package-lock.json'), ...configs, ...filesUnder(join(WEB_DIR, 'src'))]
    .filter((p) => existsSync(p))
    .sort();
}

export function inputsHash() {
  const hash = createHash('sha256');
  for (const path of inputs()) {
    // The name too: a renamed file is a different input.
    hash.update(relative(ROOT, path).split('\\').join('/')).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

export function buildIsFresh() {
  return existsSync(join(DIST_DIR, 'index.html')) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === inputsHash();
}

/** The page's JavaScript as it travels (gzip): the first load downloads all of it. */
export function scriptGzipBytes() {
  const assets = join(DIST_DIR, 'assets');
  return filesUnder(assets)
    .filter((p) => p.endsWith('.js'))
    .reduce((sum, p) => sum + gzipSync(readFileSync(p), { level: 9 }).length, 0);
}

/** Builds when needed (or always with force); answers what it did. */
export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && buildIsFresh()) {
    if (!quiet) console.log('web: the inbox build in web/dist is up to date');
    return 'up to date';
  }
  const hash = inputsHash();
  const { build } = await import('vite');
  const started = Date.now();
  await build({ root: WEB_DIR, configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: quiet ? 'silent' : 'warn' });
  writeFileSync(HASH_FILE, `${hash}\n`);
  if (!quiet) console.log(`web: built the inbox into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s (JavaScript ${(scriptGzipBytes() / 1024).toFixed(1)} kB gzip)`);
  return 'built';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildWeb({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(`web: the inbox build failed: ${err?.message ?? err}`);
    process.exit(1);
  });
}
