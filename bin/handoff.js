#!/usr/bin/env node
// The `handoff` command. Sources are TypeScript run through tsx, so `npx handoff` works from a
// fresh `npm install` without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
