// The server's one logger (pino, Fastify's own), made once in server.ts and shared by the app
// and the background jobs, so every line has one format: JSON lines for a collector, or
// pino-pretty's readable lines for a person at a terminal (config.logFormat, `--log-format`).
import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import type { Config } from './config.ts';

export type { Logger } from 'pino';

/** the fields of the one line per request (app.ts): pretty mode shows them as the message */
interface RequestLine {
  reqId?: string;
  method?: string;
  url?: string;
  status?: number;
  ms?: number;
}

/**
 * Secrets a log object could carry by mistake are censored: a key or password in a result
 * logged whole, the credentials of a request logged with its headers. Nothing in Handoff logs
 * these; this is the second line of defence (issue 18: no API key in any log line).
 */
const REDACT = ['apiKey', 'password', 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'];

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } };
  if (config.logFormat === 'json') return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    PinoPretty({
      // In process, synchronous: a line is on the terminal before the next statement runs, and
      // none is lost when the process exits (a worker-thread transport would need flushing).
      sync: true,
      destination: destination ?? 1,
      colorize: destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,reqId,method,url,status,ms',
      // A request reads as "GET /v1/chats/3 200 1.2 ms [request id]" instead of five indented
      // fields; any other line of a request ends with the same id, to find them together.
      messageFormat: (log, messageKey) => {
        const r = log as RequestLine;
        const text = r.method === undefined ? String(log[messageKey] ?? '') : `${r.method} ${r.url} ${r.status} ${r.ms} ms`;
        return r.reqId === undefined ? text : `${text} [${r.reqId}]`;
      },
    }),
  );
}
