// Runs SQLite WAL checkpoints on its own thread and connection, so copying committed pages
// back into the database file never blocks the event loop that answers requests (bench:
// checkpoints were about two thirds of the commit cost). Plain JS: a worker thread does not
// inherit the TypeScript loader in every way Handoff can be started.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.close();
    parentPort.close();
  }
});
