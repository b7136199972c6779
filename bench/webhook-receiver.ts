// The webhook receiver of the webhooks bench: a bare node:http server on loopback, in a child
// process of its own so it never shares an event loop with the load generator. It answers
// every delivery 200 at once and notes when each event of the current backlog first arrived.
//   POST /hook      a delivery (any body with an "id")
//   POST /backlog   a JSON array of event ids: the backlog whose delivery is being timed
//   GET  /stats     {requests, backlogTotal, backlogReceived, duplicates, firstBacklogAt, lastBacklogAt}
import { createServer } from 'node:http';

let requests = 0;
let duplicates = 0;
/** backlog ids not yet received */
let backlog = new Set<string>();
let backlogTotal = 0;
const seen = new Set<string>();
let backlogReceived = 0;
let firstBacklogAt: number | null = null;
let lastBacklogAt: number | null = null;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString();
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ requests, backlogTotal, backlogReceived, duplicates, firstBacklogAt, lastBacklogAt }));
    }
    if (req.url === '/backlog') {
      backlog = new Set(JSON.parse(text) as string[]);
      backlogTotal = backlog.size;
      backlogReceived = 0;
      firstBacklogAt = null;
      lastBacklogAt = null;
      return res.writeHead(204).end();
    }
    requests++;
    const id = (JSON.parse(text) as { id: string }).id;
    if (seen.has(id)) duplicates++;
    seen.add(id);
    if (backlog.delete(id)) {
      backlogReceived++;
      lastBacklogAt = Date.now();
      firstBacklogAt ??= lastBacklogAt;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
