// Progress of a long generation step: in place on a terminal, a line every few seconds in a log.
// (Not in search-bulk.ts beside its type: that file's text is part of the search dataset's
// cache key, and moving code there would regenerate a million chats for nothing.)
import type { Progress } from './search-bulk.ts';

export function progress(): Progress {
  const tty = process.stdout.isTTY === true;
  let last = 0;
  return {
    step(line) {
      if (tty) process.stdout.write(`\r  ${line}\x1b[K`);
      else if (Date.now() - last > 5_000) {
        last = Date.now();
        console.log(`  ${line}`);
      }
    },
    done(line) {
      if (tty) process.stdout.write(`\r  ${line}\x1b[K\n`);
      else console.log(`  ${line}`);
    },
  };
}
