/**
 * Moves SQLite's WAL checkpoints off the event loop. In WAL mode every commit appends pages to
 * the log, and by default the commit that pushes it past 1,000 pages copies them back into the
 * database file and syncs it — tens of milliseconds during which no request is served, several
 * times a second under sign-in load (the p99 of bench/signin). Here the main connection never
 * checkpoints; a worker thread with its own connection to the same file runs a PASSIVE
 * checkpoint, which never blocks the writer, whenever the log has grown. If the worker cannot
 * run, the main connection goes back to checkpointing itself.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker looks at the log. A checkpoint then copies at most this long's commits. */
const INTERVAL_MS = 200;

// The worker's code, as a CommonJS script: it needs nothing but better-sqlite3.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    try { checkpoint.get(); } finally { db.close(); parentPort.close(); }
  }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(sqlite: SQLite.Database, file: string, warn: (message: string) => void): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const fallBack = (why: string) => {
    sqlite.pragma('wal_autocheckpoint = 1000');
    warn(`SQLite checkpoints run on the main thread again: ${why}`);
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: INTERVAL_MS },
    });
  } catch (err) {
    fallBack((err as Error).message);
    return { stop: async () => {} };
  }
  worker.unref(); // never what keeps the process alive
  let failed = false;
  worker.on('message', (m: { error?: string }) => {
    if (m.error && !failed) {
      failed = true;
      fallBack(m.error);
      void worker.terminate();
    }
  });
  worker.on('error', (err) => {
    if (!failed) {
      failed = true;
      fallBack(err.message);
    }
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (failed) return resolve();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
