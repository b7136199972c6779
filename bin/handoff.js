#!/usr/bin/env node
// The `handoff` command: runs the compiled CLI (dist/cli.js, made by `npm run build`). In a
// checkout (src/ present) dist/ is first brought up to date, with one line on stderr when it
// has to compile, so `npx handoff` never runs code older than the sources. An image holds
// dist/ without src/ and goes straight to it.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
if (existsSync(new URL('src/', root))) {
  const { buildServer } = await import('../scripts/build-server.mjs');
  try {
    await buildServer({ log: (line) => console.error(line) });
  } catch (err) {
    console.error(`handoff: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
await import(new URL('dist/cli.js', root).href);
