// `npm run build` (with --force) and `npm start` (without): the server and CLI (src/ → dist/,
// scripts/build-server.mjs) and the inbox page (web/ → web/dist/, scripts/build-web.mjs), each
// built only when missing or stale unless forced. One line each: built, or up to date.
import { buildServer } from './build-server.mjs';
import { buildWeb } from './build-web.mjs';

const force = process.argv.includes('--force');
try {
  if ((await buildServer({ force })) === 'up to date') console.log('build: the server build in dist/ is up to date');
  await buildWeb({ force });
} catch (err) {
  console.error(`build failed: ${err?.message ?? err}`);
  process.exit(1);
}
