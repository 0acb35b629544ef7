/**
 * The peer system for the sign-in benchmark: better-auth 1.7.6 with its passkey plugin
 * (@better-auth/passkey 1.7.6), served by plain `node:http` through better-auth's own Node
 * adapter (`toNodeHandler` from `better-auth/node`), storing everything in SQLite through
 * better-sqlite3 — i.e. better-auth's documented "Node + SQLite" setup. It is a separate npm
 * package (bench/peer/package.json, installed with `npm ci --prefix bench/peer`), plain ESM
 * JavaScript so it runs with bare `node`, and it speaks only HTTP to the load driver
 * (bench/signin/targets/peer.ts).
 *
 * Environment:
 *   PEER_DB    SQLite file path (required). The schema is created at start with better-auth's
 *              programmatic migrations (`getMigrations` from `better-auth/db/migration`, what
 *              `npx auth migrate` runs), so an empty or missing file is fine.
 *   HOST       interface to listen on (default 127.0.0.1).
 *   PORT       port (default 0 = any free port).
 *   PEER_SQLITE_WAL=1  opt-in: journal_mode=WAL + synchronous=NORMAL on the connection, the
 *              same pragmas Latchkey's own SQLite store sets. Off by default (see below).
 * Prints exactly one line, `peer running at http://127.0.0.1:<port>`, once it serves requests,
 * and exits 0 on SIGTERM/SIGINT after closing the server and the database.
 *
 * Everything not listed here is better-auth's default. Settings that differ from a bare
 * `betterAuth({ database, plugins: [passkey()] })`:
 *   - `emailAndPassword: { enabled: true }`: passkey registration requires a signed-in user by
 *     default (`registration.requireSession`), so each bench user first signs up by e-mail.
 *   - `rateLimit: { enabled: false }`: the default is on when NODE_ENV=production (100 requests
 *     per 10 s per IP and path; 3 per 10 s on /sign-in/* and /sign-up/*). Every bench request
 *     comes from 127.0.0.1, so the limiter would measure itself, not the auth server.
 *   - `secret`: a fixed 64-character value, so cookies are stable across restarts and
 *     better-auth doesn't warn about (or, in production, refuse) its built-in default secret.
 *   - `baseURL` / `trustedOrigins`: `http://localhost:<port>`, the origin the driver claims.
 *     baseURL is trusted by default; it is listed again only to make the origin check explicit.
 *     baseURL also decides cookie names: it is http, so no `__Secure-` prefix.
 *   - passkey `rpID: "localhost"` and `origin: "http://localhost:<port>"`: the WebAuthn relying
 *     party the software authenticator signs for. (Without `origin` the plugin would take the
 *     request's own Origin header as the expected WebAuthn origin; pinning it is the safe setup.)
 * Not changed: SQLite pragmas (better-sqlite3's defaults: rollback journal, synchronous=FULL, so
 * every write transaction fsyncs) unless PEER_SQLITE_WAL=1; no cookie cache (better-auth's default
 * with a database: every session lookup reads the DB); telemetry off (its default); password
 * hashing (scrypt) and session lifetimes at their defaults. NODE_ENV is not set here: with rate
 * limiting pinned off it only changes the error page. Don't run with NODE_ENV=test, which turns
 * the origin/CSRF check off.
 */
import http from 'node:http';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { toNodeHandler } from 'better-auth/node';
import { getMigrations } from 'better-auth/db/migration';
import { passkey } from '@better-auth/passkey';

const dbPath = process.env.PEER_DB;
if (!dbPath) {
  console.error('PEER_DB (SQLite file path) is required');
  process.exit(2);
}
const host = process.env.HOST || '127.0.0.1';
const requestedPort = Number(process.env.PORT ?? 0);

// Fixed for the bench only: 64 random hex characters, committed on purpose.
const SECRET = '9f3c1e7a5b2d48c6a0e4f7b19d3c5a8e2f6b0d4a7c1e9f3b5d8a2c6e0f4b7d19';

// Listen first so that PORT=0 yields a concrete port, and so the origin is known; requests that
// arrive before better-auth is ready get 503 (none should: the ready line is printed after).
let handler = null;
const server = http.createServer((req, res) => {
  if (handler) return handler(req, res);
  res.writeHead(503).end();
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(requestedPort, host, resolve);
});
const port = server.address().port;
const origin = `http://localhost:${port}`;

const sqlite = new Database(dbPath);
if (process.env.PEER_SQLITE_WAL === '1') {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
}

const auth = betterAuth({
  database: sqlite,
  secret: SECRET,
  baseURL: origin,
  trustedOrigins: [origin],
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  plugins: [passkey({ rpID: 'localhost', origin })],
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

handler = toNodeHandler(auth);
console.log(`peer running at http://127.0.0.1:${port}`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    sqlite.close();
    process.exit(0);
  });
  // Keep-alive connections from the driver would hold close() open.
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
