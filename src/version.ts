// The running version, from package.json (the one place it is written): `handoff --version` and
// the `Handoff-Version` header of every answer, so an operator and a client can tell what they
// talk to. Read once at start-up.
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
