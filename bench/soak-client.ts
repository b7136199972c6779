// One organization's client in the soak: requests sent at an even pace (open loop) over
// keep-alive connections, each answer reported with its route and exact latency.
// Not autocannon: its rate limit lets each connection send its second's quota back to back
// when the second starts (httpClient.js, reqsMadeThisSecond), so sixteen clients would hit
// the server in one burst every second and the p99 would measure the bench's own queue; and
// in a mixed stream its answers do not say which route they belong to.
import { Agent, request } from 'node:http';

export interface SoakRequest {
  /** the route's name in the tables (`GET /v1/chats/{id}`) */
  route: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
}

export interface Outcome {
  org: number;
  route: string;
  /** null: no HTTP answer (socket error or the 10 s timeout) */
  status: number | null;
  ms: number;
  /** the error code, or the start of a non-2xx body, to explain it */
  detail?: string;
}

export interface ClientOptions {
  org: number;
  url: string;
  apiKey: string;
  perSecond: number;
  /** requests in flight at most; a request due beyond it is not sent (counted, not queued) */
  maxInFlight: number;
  next(): SoakRequest;
  /** every 2xx answer, with its parsed body (a client's memory of what it wrote) */
  onOk?(req: SoakRequest, body: string): void;
  report(o: Outcome): void;
}

export interface SoakClient {
  /** requests due while `maxInFlight` were outstanding: the server fell behind the pace */
  notSent(): number;
  /** stops sending and waits for the answers still outstanding */
  stop(): Promise<void>;
}

const TIMEOUT_MS = 10_000;
const TICK_MS = 5;

export function startClient(o: ClientOptions): SoakClient {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxInFlight });
  const headers = { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' };
  let inFlight = 0;
  let sent = 0;
  let skipped = 0;
  let idle: (() => void) | null = null;
  // A random phase so the organizations' requests interleave rather than arrive together.
  const started = performance.now() - Math.random() * (1000 / o.perSecond);

  const send = (req: SoakRequest) => {
    inFlight++;
    const t0 = performance.now();
    let done = false;
    const finish = (status: number | null, body: string, detail?: string) => {
      if (done) return;
      done = true;
      inFlight--;
      const ms = performance.now() - t0;
      if (status !== null && status >= 200 && status < 300) o.onOk?.(req, body);
      o.report({ org: o.org, route: req.route, status, ms, detail: detail ?? (status !== null && (status < 200 || status >= 300) ? body.slice(0, 300) : undefined) });
      if (inFlight === 0 && idle) idle();
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const r = request(
      {
        agent, host: target.hostname, port: target.port, method: req.method, path: req.path,
        headers: body ? { ...headers, 'content-length': body.length } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        res.on('error', (err: NodeJS.ErrnoException) => finish(null, '', err.code ?? err.message));
      },
    );
    r.setTimeout(TIMEOUT_MS, () => r.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    r.on('error', (err: NodeJS.ErrnoException) => finish(null, '', err.code ?? err.message));
    r.end(body);
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * o.perSecond);
    for (; sent < due; sent++) {
      // A server that falls behind is not sent a backlog later: that would be a burst, not a pace.
      if (inFlight >= o.maxInFlight) skipped++;
      else send(o.next());
    }
  }, TICK_MS);

  return {
    notSent: () => skipped,
    async stop() {
      clearInterval(timer);
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      agent.destroy();
    },
  };
}
