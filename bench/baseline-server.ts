// The baseline every ratio is taken against: a bare node:http server answering one fixed
// JSON body (a real chat, handed in by the bench) with no routing, auth, database or
// serialisation. It is the ceiling for any Node HTTP server on this machine and load.
import { createServer } from 'node:http';

const body = Buffer.from(process.env.BENCH_BODY ?? '{"status":"ok"}');
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

const server = createServer((req, res) => {
  // Read (and discard) any request body, as a real server must before answering.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
