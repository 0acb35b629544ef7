/**
 * Does a passkey sign-in cost more when there are more users? Latchkey on PostgreSQL with 1
 * thousand, 100 thousand and 1 million users (1–3 passkeys each, plus the clients, sessions and
 * sign-ins past sign-ins left), each size in its own database, bulk-loaded in SQL (load.ts).
 *
 * The same measured users (real ES256 key pairs, spread through each database) are signed in
 * over HTTP by a load driver, closed loop; the sizes' rounds are interleaved (1k 100k 1M, 1M 100k
 * 1k, …) so a noisy machine slows them alike. Per size: sign-ins/s, latency, CPU per sign-in of
 * the Latchkey process and of the PostgreSQL backends serving it, WAL written per sign-in, and
 * PostgreSQL's own counters over the measured rounds: sequential and index scans per table (a
 * sequential scan of a table that grows with users is flagged), pages touched per sign-in. Then
 * EXPLAIN (ANALYZE, BUFFERS) of the hot-path statements at each size: their pages touched should
 * stay flat (B-tree depth aside) as the tables grow.
 *
 * Target: sign-in cost at the largest size ≤ 1.2× the cost at 1k. Prints tables; never fails on
 * a number — only when something breaks (database unreachable, sign-ins erroring).
 *
 *   npx tsx bench/scale/run.ts [--quick] [--sizes 1000,100000,1000000] [--seconds 10] [--rounds 2]
 *                              [--warmup 8] [--concurrency 32] [--measured 1000] [--no-history] [--keep] [--plans]
 *                              [--fillfactor 90]   (experiment: users/passkeys fillfactor; the schema has none)
 *
 * PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server and a
 * maintenance database; the bench creates and drops `latchkey_bench_scale_<N>` beside it.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { hotPathStatements } from './hot-path.js';
import { coseEncodePublicKey } from '../../packages/server/test/support/cose.js';
import { backendCpu as backendCpuOf } from '../lib/proc.js';
import { Driver, type Measured, ROOT, type ServerProcess, startLatchkey } from '../lib/processes.js';
import { median } from '../lib/stats.js';
import { flags, formatNumber, ratio, table } from '../lib/table.js';
import type { ImportedUser } from '../signin/protocol.js';
import { bulkLoad, K, type LoadReport, LOADED_TABLES, type MeasuredRow } from './load.js';

const f = flags();
const quick = f.has('quick');
const sizes = (f.get('sizes') ?? (quick ? '1000,100000' : '1000,100000,1000000')).split(',').map((s) => Number(s.replace(/_/g, '')));
const seconds = Number(f.get('seconds') ?? (quick ? 4 : 10));
const rounds = Number(f.get('rounds') ?? 2);
const concurrency = Number(f.get('concurrency') ?? 32);
const measuredWanted = Number(f.get('measured') ?? 1000);
const history = !f.has('no-history');
const keep = f.has('keep');
const showPlans = f.has('plans');
const warmupSeconds = Number(f.get('warmup') ?? (quick ? 4 : 8));
/** Each measured round still starts with a short warm-up: another size's round ran in between. */
const warmupMs = 2000;
const fillfactor = f.has('fillfactor') ? Number(f.get('fillfactor')) : undefined;
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI = path.join(ROOT, 'packages/server/dist/cli.js');
const RP_ID = 'localhost';
const TARGET = 1.2;

for (const n of sizes) if (!Number.isInteger(n) || n < concurrency) throw new Error(`--sizes: ${n} is not a whole number of users ≥ ${concurrency}`);
if (!(measuredWanted >= concurrency)) throw new Error(`--measured must be at least the concurrency (${concurrency})`);

/** One size under test: its database, server, driver and results. */
interface Size {
  n: number;
  dbName: string;
  url: string;
  dataDir: string;
  /** A connection of our own for statistics and EXPLAIN; its backend is left out of CPU sums. */
  stats?: pg.Client;
  statsPid?: number;
  load?: LoadReport;
  measured: Placed[];
  server?: ServerProcess;
  driver?: Driver;
  rounds: Round[];
  scans?: TableScans[];
  /** PostgreSQL's counters for the database over the measured rounds, per completed sign-in. */
  dbWork?: DbCounters & { signIns: number };
  plans?: PlanSummary[];
}

interface DbCounters {
  blksHit: number;
  blksRead: number;
  tupReturned: number;
  tupFetched: number;
  tupInserted: number;
  tupUpdated: number;
  tupDeleted: number;
  xactCommit: number;
}

interface Round extends Measured {
  /** CPU of the PostgreSQL backends serving this database over the measured window, ms. */
  pgCpuMs: number;
  /**
   * WAL written over the measured window (pg_current_wal_insert_lsn at its start and end). The
   * position is the whole cluster's: anything else writing to this PostgreSQL counts too.
   */
  walBytes: number | null;
}

/** A measured user placed in one database: what the driver gets, and the row load.ts writes. */
interface Placed {
  imported: ImportedUser;
  row: MeasuredRow;
}

interface TableScans {
  table: string;
  rows: number;
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  inserts: number;
  updates: number;
  hotUpdates: number;
}

interface PlanSummary {
  query: string;
  nodes: string;
  buffers: number;
  text: string;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    console.log('Building the server (packages/server/dist/cli.js is missing)…');
    execFileSync('npm', ['run', 'build', '-w', '@latchkey/server'], { cwd: ROOT, stdio: 'inherit' });
  }
  await checkPostgres();
  const work = mkdtempSync(path.join(tmpdir(), 'latchkey-bench-scale-'));
  const all: Size[] = sizes.map((n) => ({
    n,
    dbName: `latchkey_bench_scale_${n}`,
    url: dbUrl(`latchkey_bench_scale_${n}`),
    dataDir: path.join(work, String(n)),
    measured: [],
    rounds: [],
  }));
  let failed = false;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const s of all) await s.driver?.close().catch(() => {});
      for (const s of all) await s.server?.stop();
      for (const s of all) await s.stats?.end().catch(() => {});
      if (!keep) for (const s of all) await dropDatabase(s.dbName).catch((err) => console.error(`Could not drop ${s.dbName}: ${err.message}`));
      else console.log(`\nKept databases: ${all.map((s) => s.dbName).join(', ')}`);
      rmSync(work, { recursive: true, force: true });
    })());
  // Interrupted: stop the servers and drop the databases before leaving.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping servers${keep ? '' : ' and dropping databases'}…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    console.log(`Machine: ${execFileSync('nproc').toString().trim()} cores, Node ${process.version}, ${await pgVersion()}`);
    console.log(
      `Sizes ${sizes.map(formatUsers).join(', ')}; ${measuredLabel()} measured users with real ES256 keys; ` +
        `sign-in at ${concurrency} concurrent, ${rounds} round(s) per size of ${seconds} s (after ${warmupMs / 1000} s unmeasured), interleaved.` +
        (fillfactor ? `\nExperiment: users and passkeys with fillfactor ${fillfactor}.` : '') +
        '\n',
    );

    // The measured users: one set of key pairs, placed in every database at its own positions.
    const keysStarted = performance.now();
    const identities = makeIdentities(measuredWanted);
    const filler = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const fillerPublicKey = coseEncodePublicKey('ES256', filler.publicKey);
    console.log(`Generated ${identities.length} ES256 key pairs in ${((performance.now() - keysStarted) / 1000).toFixed(1)} s.\n`);

    console.log('## Bulk load\n');
    for (const s of all) {
      console.log(`  ${formatUsers(s.n)} users → ${s.dbName}`);
      await createDatabase(s.dbName);
      const migrated = performance.now();
      execFileSync(process.execPath, [CLI, 'migrate'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: s.url, LATCHKEY_DATA_DIR: s.dataDir },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      console.log(`    migrations: ${((performance.now() - migrated) / 1000).toFixed(1)} s`);
      s.measured = placeMeasured(identities.slice(0, Math.min(measuredWanted, s.n)), s.n);
      s.load = await bulkLoad(
        async () => {
          const c = new pg.Client({ connectionString: s.url });
          await c.connect();
          return c;
        },
        { n: s.n, measured: s.measured.map((m) => m.row), fillerPublicKey, history, fillfactor, now: Date.now(), log: (line) => console.log(line) },
      );
      console.log(`    total: ${s.load.totalSeconds.toFixed(1)} s\n`);
    }
    console.log(
      table(
        ['users', 'load s', 'users rows', 'identifiers', 'passkeys', 'clients', 'sessions', 'sign_ins', 'data MiB', 'index MiB'],
        all.map((s) => {
          const l = s.load!;
          const mib = (k: 'table' | 'indexes') => Object.values(l.bytes).reduce((a, b) => a + b[k], 0) / 2 ** 20;
          return [formatUsers(s.n), l.totalSeconds, l.rows.users!, l.rows.identifiers!, l.rows.passkeys!, l.rows.clients!, l.rows.sessions!, l.rows.sign_ins!, mib('table'), mib('indexes')];
        }),
      ),
    );

    // Servers and drivers for every size, all started before any load runs.
    const build = distStamp();
    console.log(`\nServer build: packages/server/dist as of ${new Date(build).toISOString()}`);
    for (const s of all) {
      s.server = await startLatchkey({ DATABASE_URL: s.url, LATCHKEY_DATA_DIR: s.dataDir });
      s.driver = await Driver.start('latchkey', s.server);
      await s.driver.importUsers(s.measured.map((m) => m.imported));
      s.stats = new pg.Client({ connectionString: s.url });
      await s.stats.connect();
      s.statsPid = (await s.stats.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    }
    if (distStamp() !== build) {
      console.log('⚠ packages/server/dist was rebuilt while the servers were starting: the sizes may be running different code.');
    }

    // Warm-up, not measured: the JIT, PostgreSQL's caches and the server's connection pool.
    console.log(`\n## Warm-up: ${warmupSeconds} s of sign-ins per size, not measured`);
    for (const s of all) await s.driver!.signIn(concurrency, warmupSeconds * 1000, 0);
    await sleep(1500);

    const before = new Map<Size, { tables: TableScans[]; db: DbCounters }>();
    for (const s of all) before.set(s, { tables: await tableScans(s.stats!), db: await dbCounters(s.stats!) });

    console.log(`\n## Sign-in rounds (${rounds} × ${all.length} sizes)\n`);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? all : [...all].reverse();
      for (const s of order) {
        const m = await measuredRound(s);
        s.rounds.push(m);
        const res = m.result;
        console.log(
          `  round ${r + 1} ${formatUsers(s.n).padStart(5)}: ${formatNumber((res.ok * 1000) / res.elapsedMs)} sign-ins/s, p50 ${formatNumber(res.p50)} ms, ` +
            `server ${formatNumber(m.serverCpuMs / Math.max(1, res.ok))} + PG ${formatNumber(m.pgCpuMs / Math.max(1, res.ok))} CPU ms/sign-in` +
            (res.errors ? `, ${res.errors} errors` : ''),
        );
      }
    }

    // PostgreSQL publishes a backend's counters within a second of its last transaction.
    await sleep(1500);
    for (const s of all) {
      s.scans = diffScans(before.get(s)!.tables, await tableScans(s.stats!));
      // Every sign-in writes one sign_ins row, and that count is published by the same backends,
      // at the same moments, as the counters it divides.
      const signIns = s.scans.find((t) => t.table === 'sign_ins')?.inserts || s.rounds.reduce((a, m) => a + m.result.ok, 0);
      s.dbWork = perSignIn(before.get(s)!.db, await dbCounters(s.stats!), signIns);
    }
    for (const s of all) s.plans = await explainHotPath(s);

    failed = report(all);
    saveResults(all);
  } finally {
    await cleanup();
  }
  if (failed) process.exitCode = 1;
}

/** Newest modification time in packages/server/dist, to notice a rebuild during the run. */
function distStamp(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'packages/server/dist'));
  return newest;
}

// --- measured users -------------------------------------------------------------------------

interface Identity {
  userId: string;
  userHandle: string;
  passkeyId: string;
  credentialId: string;
  publicKey: Uint8Array;
  privateKeyPkcs8: string;
}

/** Fresh random ids and key pairs, the way sign-up makes them (ids: 16 random bytes; handle: 32; credential id: 32). */
function makeIdentities(count: number): Identity[] {
  return Array.from({ length: count }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return {
      userId: `user_${randomBytes(16).toString('base64url')}`,
      userHandle: randomBytes(32).toString('base64url'),
      passkeyId: `pk_${randomBytes(16).toString('base64url')}`,
      credentialId: randomBytes(32).toString('base64url'),
      publicKey: coseEncodePublicKey('ES256', publicKey),
      privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    };
  });
}

/** Evenly spaced through 1…n, so measured users are spread over the heap like everyone else. */
function placeMeasured(ids: Identity[], n: number): Placed[] {
  return ids.map((id, k) => {
    const g = Math.floor(((k + 0.5) * n) / ids.length) + 1;
    const username = usernameOf(g);
    return {
      imported: { identifier: username, credentialId: id.credentialId, userHandle: id.userHandle, privateKeyPkcs8: id.privateKeyPkcs8, counter: 0, rpId: RP_ID },
      row: { g, userId: id.userId, userHandle: id.userHandle, username, passkeyId: id.passkeyId, credentialId: id.credentialId, publicKey: id.publicKey },
    };
  });
}

/** The JS twin of load.ts's generated username, so measured users look like the rest. */
function usernameOf(g: number): string {
  const n = Buffer.alloc(8);
  n.writeBigInt64BE(BigInt(g) * 16n + BigInt(K.name));
  return `user_${createHash('sha256').update(n).digest('hex').slice(0, 8)}_${g}`;
}

// --- one measured round ---------------------------------------------------------------------

/**
 * A closed-loop round; the PostgreSQL backends' CPU is read at the driver's window-start and
 * window-end events, alongside the server's (Driver reads that one itself).
 */
async function measuredRound(s: Size): Promise<Round> {
  // Autovacuum keeps churning tables small (passkey_registrations: one row in, one out per new
  // passkey); where it is off, as on this machine's PostgreSQL, do its job between rounds.
  if (!autovacuum) await s.stats!.query('VACUUM passkey_registrations');
  let start = new Map<number, number>();
  let end = new Map<number, number>();
  let walStart: Promise<number | null> = Promise.resolve(null);
  let walEnd: Promise<number | null> = Promise.resolve(null);
  const stopListening = s.driver!.onWindow((event) => {
    if (event === 'window-start') {
      start = backendCpu(s);
      walStart = walPosition(s.stats!);
    } else {
      end = backendCpu(s);
      walEnd = walPosition(s.stats!);
    }
  });
  try {
    const m = await s.driver!.signIn(concurrency, seconds * 1000, warmupMs);
    // A backend started inside the window counts in full; one that ended inside it is lost (the
    // server's pool keeps its connections while busy, so that does not happen under load).
    let pgCpuMs = 0;
    for (const [pid, ms] of end) pgCpuMs += ms - (start.get(pid) ?? 0);
    const [w0, w1] = [await walStart, await walEnd];
    return { ...m, pgCpuMs, walBytes: w0 !== null && w1 !== null ? w1 - w0 : null };
  } finally {
    stopListening();
  }
}

/** CPU ms so far of each PostgreSQL backend connected to this size's database (not ours). */
function backendCpu(s: Size): Map<number, number> {
  return backendCpuOf(s.dbName, s.statsPid);
}

// --- PostgreSQL -----------------------------------------------------------------------------

function dbUrl(name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

async function checkPostgres(): Promise<void> {
  try {
    await admin((c) => c.query('SELECT 1'));
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl} (set PG_ADMIN_URL): ${(err as Error).message}`);
  }
}

let autovacuum = true;

async function pgVersion(): Promise<string> {
  const v = await admin((c) => c.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb, current_setting('autovacuum') AS av`));
  const r = v.rows[0];
  autovacuum = r.av === 'on';
  return `PostgreSQL ${r.v} (shared_buffers ${r.sb}, autovacuum ${r.av}${autovacuum ? '' : ': the bench vacuums passkey_registrations between rounds'})`;
}

async function dbCounters(db: pg.Client): Promise<DbCounters> {
  const r = (
    await db.query(
      `SELECT blks_hit, blks_read, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, xact_commit
       FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows[0];
  return {
    blksHit: Number(r.blks_hit),
    blksRead: Number(r.blks_read),
    tupReturned: Number(r.tup_returned),
    tupFetched: Number(r.tup_fetched),
    tupInserted: Number(r.tup_inserted),
    tupUpdated: Number(r.tup_updated),
    tupDeleted: Number(r.tup_deleted),
    xactCommit: Number(r.xact_commit),
  };
}

/** The cluster's WAL insert position, in bytes (null if it cannot be read). */
async function walPosition(db: pg.Client): Promise<number | null> {
  try {
    return Number((await db.query(`SELECT pg_current_wal_insert_lsn() - '0/0' AS b`)).rows[0].b);
  } catch {
    return null;
  }
}

function perSignIn(a: DbCounters, b: DbCounters, signIns: number): DbCounters & { signIns: number } {
  const d = (k: keyof DbCounters) => (b[k] - a[k]) / Math.max(1, signIns);
  return {
    signIns,
    blksHit: d('blksHit'),
    blksRead: d('blksRead'),
    tupReturned: d('tupReturned'),
    tupFetched: d('tupFetched'),
    tupInserted: d('tupInserted'),
    tupUpdated: d('tupUpdated'),
    tupDeleted: d('tupDeleted'),
    xactCommit: d('xactCommit'),
  };
}

async function createDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function tableScans(db: pg.Client): Promise<TableScans[]> {
  const r = await db.query(
    `SELECT relname AS table, n_live_tup AS rows, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd
     FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`,
  );
  return r.rows.map((x) => ({
    table: x.table,
    rows: Number(x.rows),
    seqScan: Number(x.seq_scan),
    seqTupRead: Number(x.seq_tup_read),
    idxScan: Number(x.idx_scan),
    inserts: Number(x.n_tup_ins),
    updates: Number(x.n_tup_upd),
    hotUpdates: Number(x.n_tup_hot_upd),
  }));
}

function diffScans(before: TableScans[], after: TableScans[]): TableScans[] {
  return after.map((a) => {
    const b = before.find((x) => x.table === a.table);
    return {
      table: a.table,
      rows: a.rows,
      seqScan: a.seqScan - (b?.seqScan ?? 0),
      seqTupRead: a.seqTupRead - (b?.seqTupRead ?? 0),
      idxScan: a.idxScan - (b?.idxScan ?? 0),
      inserts: a.inserts - (b?.inserts ?? 0),
      updates: a.updates - (b?.updates ?? 0),
      hotUpdates: a.hotUpdates - (b?.hotUpdates ?? 0),
    };
  });
}

/**
 * The statements a discoverable sign-in and its token mint run against the tables that grow with
 * the user base, compiled by the server's repositories (hot-path.ts), with real values from this database. Each runs
 * under EXPLAIN (ANALYZE, BUFFERS) — writes inside a transaction that is rolled back.
 */
async function explainHotPath(s: Size): Promise<PlanSummary[]> {
  const db = s.stats!;
  const m = s.measured[Math.floor(s.measured.length / 2)]!.row;
  const client = (await db.query(`SELECT id, token_hash FROM clients WHERE last_active_session_id IS NOT NULL ORDER BY created_at DESC LIMIT 1`)).rows[0];
  const session = (await db.query(`SELECT id FROM sessions WHERE client_id = $1 LIMIT 1`, [client.id])).rows[0];
  const signIn = (await db.query(`SELECT id FROM sign_ins WHERE client_id = $1 LIMIT 1`, [client.id])).rows[0];
  const passkey = (await db.query(`SELECT id, counter FROM passkeys WHERE id = $1`, [m.passkeyId])).rows[0];
  const queries = await hotPathStatements(s.url, {
    credentialId: m.credentialId,
    userId: m.userId,
    username: m.username,
    passkeyId: m.passkeyId,
    counter: Number(passkey.counter),
    client,
    sessionId: session?.id ?? '',
    signInId: signIn?.id ?? '',
  });
  const out: PlanSummary[] = [];
  // Each EXPLAIN in a transaction of its own, rolled back: a write leaves nothing behind, and
  // the second run (the text plan) sees the same rows the first one did.
  const explain = async (options: string, text: string, values: unknown[]) => {
    await db.query('BEGIN');
    try {
      return (await db.query(`EXPLAIN (${options}) ${text}`, values)).rows;
    } finally {
      await db.query('ROLLBACK');
    }
  };
  for (const [name, text, values] of queries) {
    try {
      const plan = (await explain('ANALYZE, BUFFERS, FORMAT JSON', text, values))[0]['QUERY PLAN'][0].Plan;
      const lines = await explain('ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF', text, values);
      out.push({ query: name, nodes: describePlan(plan), buffers: buffersOf(plan), text: lines.map((x) => x['QUERY PLAN']).join('\n') });
    } catch (err) {
      // The schema moved on (the server is being worked on): say so rather than stop the report.
      out.push({ query: name, nodes: `could not EXPLAIN: ${(err as Error).message}`, buffers: NaN, text: '' });
    }
  }
  return out;
}

/** "Nested Loop(Index Scan passkeys_credential_id_key, Index Scan users_pkey)". */
function describePlan(p: any): string {
  const self = `${p['Node Type']}${p['Index Name'] ? ` ${p['Index Name']}` : p['Relation Name'] ? ` ${p['Relation Name']}` : ''}`;
  const kids: any[] = p.Plans ?? [];
  return kids.length ? `${self}(${kids.map(describePlan).join(', ')})` : self;
}

/** Shared buffers (hits and reads) the whole plan touched: the pages one execution costs. */
function buffersOf(p: any): number {
  return Number(p['Shared Hit Blocks'] ?? 0) + Number(p['Shared Read Blocks'] ?? 0);
}

// --- report ---------------------------------------------------------------------------------

function summarise(rs: Round[]) {
  const ok = rs.reduce((a, m) => a + m.result.ok, 0);
  return {
    perSecond: median(rs.map((m) => (m.result.ok * 1000) / m.result.elapsedMs)),
    p50: median(rs.map((m) => m.result.p50)),
    p95: median(rs.map((m) => m.result.p95)),
    p99: median(rs.map((m) => m.result.p99)),
    serverCpu: rs.reduce((a, m) => a + m.serverCpuMs, 0) / Math.max(1, ok),
    pgCpu: rs.reduce((a, m) => a + m.pgCpuMs, 0) / Math.max(1, ok),
    rssMiB: Math.max(...rs.map((m) => m.serverPeakRssMiB)),
    walKiB: rs.some((m) => m.walBytes === null) ? NaN : rs.reduce((a, m) => a + m.walBytes!, 0) / 1024 / Math.max(1, ok),
    ok,
    errors: rs.reduce((a, m) => a + m.result.errors, 0),
  };
}

/** Prints every table; answers whether anything failed (sign-in errors). */
function report(all: Size[]): boolean {
  for (const s of all) {
    console.log(`\n## ${formatUsers(s.n)} users (${s.load!.rows.passkeys!.toLocaleString('en-US')} passkeys)\n`);
    const rows: (string | number)[][] = s.rounds.map((m, i) => [
      `round ${i + 1}`,
      (m.result.ok * 1000) / m.result.elapsedMs,
      m.result.p50,
      m.result.p95,
      m.result.p99,
      m.serverCpuMs / Math.max(1, m.result.ok),
      m.pgCpuMs / Math.max(1, m.result.ok),
      (m.serverCpuMs + m.pgCpuMs) / Math.max(1, m.result.ok),
      m.walBytes === null ? NaN : m.walBytes / 1024 / Math.max(1, m.result.ok),
      m.serverPeakRssMiB,
      m.result.errors,
    ]);
    const x = summarise(s.rounds);
    rows.push(['median / total', x.perSecond, x.p50, x.p95, x.p99, x.serverCpu, x.pgCpu, x.serverCpu + x.pgCpu, x.walKiB, x.rssMiB, x.errors]);
    console.log(
      table(
        ['', 'sign-ins/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server CPU ms', 'PG CPU ms', 'total CPU ms / sign-in', 'WAL KiB / sign-in', 'server RSS MiB', 'errors'],
        rows,
      ),
    );
    for (const [i, m] of s.rounds.entries()) {
      if (m.result.errors) console.log(`  round ${i + 1}: ${m.result.errors} errors, e.g. ${m.result.errorSamples.join(' | ')}`);
    }
    const grown = s.scans!.filter((t) => t.seqScan > 0 && (LOADED_TABLES as readonly string[]).includes(t.table));
    console.log(
      `\n  PostgreSQL over the rounds: ` +
        s
          .scans!.filter((t) => t.idxScan || t.seqScan || t.updates)
          .map((t) => `${t.table} ${t.idxScan} idx / ${t.seqScan} seq${t.updates ? ` (${t.hotUpdates}/${t.updates} HOT upd)` : ''}`)
          .join(', '),
    );
    if (grown.length) console.log(`  ⚠ sequential scans on tables that grow with users: ${grown.map((t) => `${t.table} ×${t.seqScan} (${t.seqTupRead} rows read)`).join(', ')}`);
  }

  console.log('\n## PostgreSQL work per sign-in (pg_stat_database over the measured rounds, their short warm-ups included)\n');
  console.log(
    table(
      ['users', 'sign-ins', 'buffer hits', 'buffer misses (reads)', 'tuples returned', 'tuples fetched', 'inserted', 'updated', 'deleted', 'commits'],
      all.map((s) => {
        const w = s.dbWork!;
        return [formatUsers(s.n), w.signIns, w.blksHit, w.blksRead, w.tupReturned, w.tupFetched, w.tupInserted, w.tupUpdated, w.tupDeleted, w.xactCommit];
      }),
    ),
  );

  // Pages touched per hot-path statement, per size: flat means index lookups, not scans.
  console.log('\n## Hot-path statements: plan and shared buffers touched per execution\n');
  const first = all[0]!;
  const last = all[all.length - 1]!;
  console.log(
    table(
      ['statement', `plan at ${formatUsers(last.n)}`, ...all.map((s) => `buffers @ ${formatUsers(s.n)}`)],
      first.plans!.map((p, i) => [p.query, last.plans![i]!.nodes, ...all.map((s) => s.plans![i]!.buffers)]),
    ),
  );
  const grownScan = new RegExp(`Seq Scan (${LOADED_TABLES.join('|')})\\b`);
  const scanning = all.flatMap((s) => s.plans!.filter((p) => grownScan.test(p.nodes)).map((p) => `${p.query} @ ${formatUsers(s.n)}: ${p.nodes}`));
  if (scanning.length) console.log(`\n  ⚠ plans with a sequential scan of a table that grows with users:\n    ${scanning.join('\n    ')}`);
  if (showPlans) {
    console.log(`\n### Plans at ${formatUsers(last.n)} users\n`);
    for (const p of last.plans!) console.log(`-- ${p.query}\n${p.text}\n`);
  }

  // Against the target.
  console.log('\n## Across sizes\n');
  const base = summarise(first.rounds);
  const baseCpu = base.serverCpu + base.pgCpu;
  const vs = `vs ${formatUsers(first.n)}`;
  console.log(
    table(
      ['users', 'passkeys', 'load s', 'sign-ins/s', 'p50 ms', 'p99 ms', 'total CPU ms / sign-in', `CPU ${vs}`, `p50 ${vs}`, 'PG buffers / sign-in', `buffers ${vs}`, 'WAL KiB / sign-in'],
      all.map((s) => {
        const x = summarise(s.rounds);
        const w = s.dbWork!;
        return [
          formatUsers(s.n),
          s.load!.rows.passkeys!,
          s.load!.totalSeconds,
          x.perSecond,
          x.p50,
          x.p99,
          x.serverCpu + x.pgCpu,
          ratio(x.serverCpu + x.pgCpu, baseCpu),
          ratio(x.p50, base.p50),
          w.blksHit + w.blksRead,
          ratio(w.blksHit + w.blksRead, first.dbWork!.blksHit + first.dbWork!.blksRead),
          x.walKiB,
        ];
      }),
    ),
  );
  const top = summarise(last.rounds);
  const cpuRatio = (top.serverCpu + top.pgCpu) / baseCpu;
  const p50Ratio = top.p50 / base.p50;
  const pages = (s: Size) => s.dbWork!.blksHit + s.dbWork!.blksRead;
  const verdict = (r: number) => (r <= TARGET ? 'within' : 'OVER');
  console.log(
    `\nCost at ${formatUsers(last.n)} ÷ cost at ${formatUsers(first.n)} users: CPU per sign-in ${ratio(top.serverCpu + top.pgCpu, baseCpu)} ` +
      `(server ${ratio(top.serverCpu, base.serverCpu)}, PostgreSQL ${ratio(top.pgCpu, base.pgCpu)}), p50 ${ratio(top.p50, base.p50)}, ` +
      `PostgreSQL pages touched ${ratio(pages(last), pages(first))} — target ≤ ${TARGET}×: CPU ${verdict(cpuRatio)}, p50 ${verdict(p50Ratio)}, ` +
      `pages ${verdict(pages(last) / pages(first))}.`,
  );
  if (all.length >= 3) {
    // The last decade alone: past a tiny database, does cost still move with the user count?
    const prev = all[all.length - 2]!;
    const p = summarise(prev.rounds);
    console.log(
      `Cost at ${formatUsers(last.n)} ÷ cost at ${formatUsers(prev.n)} users: CPU per sign-in ${ratio(top.serverCpu + top.pgCpu, p.serverCpu + p.pgCpu)}, ` +
        `p50 ${ratio(top.p50, p.p50)}, PostgreSQL pages touched ${ratio(pages(last), pages(prev))}.`,
    );
  }
  console.log(
    '(CPU and latency move with whatever else this machine runs; pages touched and WAL per sign-in are counted by PostgreSQL and do not.)',
  );

  const errors = all.reduce((a, s) => a + summarise(s.rounds).errors, 0);
  const none = all.filter((s) => summarise(s.rounds).ok === 0);
  if (errors || none.length) console.error(`\nFAILED: ${errors} sign-in errors${none.length ? `; no sign-in succeeded at ${none.map((s) => formatUsers(s.n)).join(', ')}` : ''}.`);
  return errors > 0 || none.length > 0;
}

function saveResults(all: Size[]): void {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const data = {
    sizes,
    seconds,
    rounds,
    concurrency,
    warmupSeconds,
    warmupMs,
    history,
    fillfactor,
    results: all.map((s) => ({
      users: s.n,
      measuredUsers: s.measured.length,
      load: s.load,
      rounds: s.rounds,
      summary: summarise(s.rounds),
      scans: s.scans,
      dbWork: s.dbWork,
      plans: s.plans,
    })),
  };
  writeFileSync(file, JSON.stringify(data, null, 2));
  console.log(`\nRaw results: ${path.relative(ROOT, file)}  (CPU from /proc/<pid>/stat at 10 ms resolution; PG CPU = backends of the size's database only)`);
}

/** "1000", or "1000 (all 500 at 500 users)" when a size is smaller than the measured set. */
function measuredLabel(): string {
  const small = sizes.filter((n) => n < measuredWanted);
  return small.length ? `${measuredWanted} (all users at ${small.map(formatUsers).join(', ')})` : String(measuredWanted);
}

function formatUsers(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Piped into `head`: a closed stdout must not kill the run before it cleans up.
process.stdout.on('error', () => {});
await main();
