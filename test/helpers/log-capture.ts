// The server's logger (src/logger.ts) writing into memory, for tests that read what an operator
// would: every line as written, and the JSON ones parsed.
import { Writable } from 'node:stream';
import type { LogFormat } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export interface CapturedLog {
  log: Logger;
  /** every line written so far */
  lines(): string[];
  /** the lines parsed (JSON format only) */
  entries(): Array<Record<string, any>>;
}

export function captureLog(level = 'trace', format: LogFormat = 'json'): CapturedLog {
  const lines: string[] = [];
  const into = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  // pretty lines pass through pino-pretty's stream first: read them after a turn of the event loop
  const log = createLogger({ logLevel: level, logFormat: format }, into);
  return { log, lines: () => [...lines], entries: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

/** pino's numeric levels */
export const LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
