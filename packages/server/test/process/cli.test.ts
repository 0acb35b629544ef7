import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/index.js';
import { pgAdminUrl } from '../support/database.js';
import { BIN, startServerProcess } from '../support/process.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs `latchkey` (the npm-linked bin) with only `env`, as an operator's shell would. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out: e.stdout + e.stderr };
  }
}

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
const NO_STACK = /^\s+at .*:\d+/m;

/** A start-up failure: exit 78, one line on stderr that names `variable`, no stack trace. */
function expectOneLine(r: Awaited<ReturnType<typeof cli>>, variable: string, advice: RegExp) {
  expect(r.code).toBe(78);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${variable}: `);
  expect(lines[0]).toMatch(advice);
  expect(r.out).not.toMatch(NO_STACK);
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the latchkey CLI', () => {
  it('migrates, then rotates keys keeping the previous one published', async () => {
    const dir = freshDir();
    const env = { LATCHKEY_DATA_DIR: dir };
    expect((await cli(['migrate'], env)).out).toMatch(/Applied migrations: 0001_initial/);
    expect((await cli(['migrate'], env)).out).toMatch(/up to date/);
    const first = await cli(['rotate-keys'], env);
    expect(first).toMatchObject({ code: 0 });
    const second = await cli(['rotate-keys'], { ...env, LATCHKEY_TOKEN_ALG: 'RS256' });
    expect(second.code).toBe(0);
    const db = new SQLite(path.join(dir, 'latchkey.db'), { readonly: true });
    const slots = db.prepare('select slot, alg from signing_keys where slot is not null order by slot').all();
    db.close();
    expect(slots).toEqual([
      { slot: 'current', alg: 'RS256' },
      { slot: 'previous', alg: 'ES256' },
    ]);
  });

  it('prints help listing every command, and each command its own help', async () => {
    // The texts themselves are checked in src/cli/index.test.ts; here, that the executable answers.
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: latchkey \[command\]/);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
    for (const c of COMMANDS) {
      const own = await cli([...c.name.split(' '), '--help'], { PORT: 'not looked at' }); // help reads no configuration
      expect(own).toMatchObject({ code: 0, stderr: '' });
      expect(own.stdout).toContain(`Usage: latchkey ${c.name}`);
      expect(own.stdout).toContain(c.help);
    }
  });

  it('refuses an unknown command or an argument with exit code 2 and what to run instead', async () => {
    const unknown = await cli(['serve']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "serve"\. Commands: start, migrate, rotate-keys, keys create, keys list, keys revoke, sweep, jwt-public-key, jwt-templates, admin invite\. Run `latchkey --help`/);
    const extra = await cli(['start', '--port', '3000']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/takes no arguments .*PORT=4000 latchkey start\nUsage: latchkey start/);
  });

  it('runs as `npx latchkey` from the repository root', async () => {
    const { stdout } = await run('npx', ['--no-install', 'latchkey', '--help'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() } });
    expect(stdout).toMatch(/Usage: latchkey \[command\]/);
  });
});

describe('start-up errors: one line naming the variable, exit code 78', () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('lists every bad variable, one per line', async () => {
    const r = await cli(['start'], { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PORT: must be a whole number from 0 to 65535, e.g. 4000 (0 picks a free port)',
      'Invalid configuration: DATABASE_URL: must start with postgres:// or postgresql:// (leave it unset for SQLite)',
    ]);
    expect(r.out).not.toMatch(NO_STACK);
  });

  it('PORT=abc', async () => {
    const r = await cli(['start'], { PORT: 'abc', LATCHKEY_DATA_DIR: freshDir() });
    expectOneLine(r, 'PORT', /whole number from 0 to 65535/);
    expect(r.out).not.toMatch(/NaN/);
  });

  it('a public URL without its scheme', async () => {
    const r = await cli(['start'], { LATCHKEY_PUBLIC_URL: 'localhost:4000', LATCHKEY_DATA_DIR: freshDir() });
    expectOneLine(r, 'LATCHKEY_PUBLIC_URL', /with its scheme, such as .*http:\/\/localhost:4000/);
    expect(r.out).not.toMatch(/Publishable key/);
  });

  it('a port already in use', async () => {
    const r = await cli(['start'], { PORT: String(busyPort), LATCHKEY_DATA_DIR: freshDir() });
    expectOneLine(r, 'PORT', new RegExp(`127\\.0\\.0\\.1:${busyPort} is already in use.*set PORT to a free port`));
  });

  it('a HOST that is not an address of this machine, does not resolve, or is not a host', async () => {
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never a local address.
    expectOneLine(await cli(['start'], { HOST: '203.0.113.7', PORT: '0', LATCHKEY_DATA_DIR: freshDir() }), 'HOST', /not an address of this machine.*HOST to 127\.0\.0\.1/);
    // .invalid never resolves (RFC 2606).
    expectOneLine(await cli(['start'], { HOST: 'nowhere.invalid', PORT: '0', LATCHKEY_DATA_DIR: freshDir() }), 'HOST', /cannot be resolved/);
    expectOneLine(await cli(['start'], { HOST: 'http://localhost', LATCHKEY_DATA_DIR: freshDir() }), 'HOST', /no scheme, port or path/);
  });

  it('PostgreSQL unreachable, or the database missing, names DATABASE_URL (start and migrate)', async () => {
    const port = await closedPort();
    const refused = `postgres://postgres:s3cret@127.0.0.1:${port}/latchkey`;
    for (const command of ['start', 'migrate', 'rotate-keys']) {
      const r = await cli([command], { DATABASE_URL: refused });
      expectOneLine(r, 'DATABASE_URL', new RegExp(`not accepting connections at 127\\.0\\.0\\.1:${port}.*start it, or correct`));
      expect(r.out).not.toContain('s3cret');
    }
    const missing = new URL(pgAdminUrl);
    missing.pathname = '/latchkey_no_such_database';
    expectOneLine(await cli(['start'], { DATABASE_URL: missing.href }), 'DATABASE_URL', /"latchkey_no_such_database" does not exist.*createdb/);
  });

  it('a data directory that cannot hold the SQLite file names LATCHKEY_DATA_DIR', async () => {
    const file = path.join(freshDir(), 'a-file');
    (await import('node:fs')).writeFileSync(file, '');
    expectOneLine(await cli(['start'], { LATCHKEY_DATA_DIR: path.join(file, 'sub') }), 'LATCHKEY_DATA_DIR', /cannot write the SQLite file/);
  });
});

// Commands of the backend API (issue 11) and Clerk compatibility (issue 14).
describe('the latchkey CLI: keys, sweep, jwt-public-key', () => {
  it('prints the RS256 public key as PEM for @clerk/backend, and refuses an ES256 key with the fix', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const es = await cli(['jwt-public-key'], { LATCHKEY_DATA_DIR: dir });
    expect(es.code).toBe(1);
    expect(es.out).toMatch(/LATCHKEY_TOKEN_ALG=RS256/);
    const rs = await cli(['jwt-public-key'], { LATCHKEY_DATA_DIR: dir, LATCHKEY_TOKEN_ALG: 'RS256' });
    expect(rs.code).toBe(0);
    expect(rs.out).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  });

  it('creates, lists and revokes secret keys; a running server honours them at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const env = { LATCHKEY_DATA_DIR: dir, LATCHKEY_RATE_LIMIT: 'off' };
    const created = await cli(['keys', 'create', '--name', 'billing service'], env);
    expect(created.code).toBe(0);
    const key = created.out.match(/sk_test_[A-Za-z0-9_-]{43}/)![0];
    const id = created.out.match(/key_[A-Za-z0-9_-]+/)![0];
    const listed = await cli(['keys', 'list'], env);
    expect(listed.out).toContain(id);
    expect(listed.out).toContain('"billing service"');
    expect(listed.out).toContain(`…${key.slice(-4)}`);
    expect(listed.out).not.toContain(key);

    const pinned = `sk_test_${'z'.repeat(43)}`;
    const server = await startServerProcess({ ...env, LATCHKEY_SECRET_KEY: pinned });
    try {
      const call = (k: string) => fetch(`${server.url}/v1/users`, { headers: { authorization: `Bearer ${k}` } });
      expect((await call(key)).status).toBe(200);
      expect((await call(pinned)).status).toBe(200);
      expect((await cli(['keys', 'revoke', id], env)).out).toMatch(/Revoked/);
      const refused = await call(key);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as any).errors[0].code).toBe('authentication_invalid');
      expect((await cli(['keys', 'list'], env)).out).toMatch(/revoked/);
    } finally {
      await server.stop();
    }
    expect(await cli(['keys', 'revoke', id], env)).toMatchObject({ code: 1 });
  });

  it('refuses keys commands without what they need, and a pinned key of the wrong form', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    expect((await cli(['keys', 'create'], { LATCHKEY_DATA_DIR: dir })).code).toBe(2);
    expect((await cli(['keys', 'rotate'], { LATCHKEY_DATA_DIR: dir })).code).toBe(2);
    const bad = await cli(['start'], { LATCHKEY_DATA_DIR: dir, LATCHKEY_SECRET_KEY: 'pk_test_abc' });
    expect(bad.code).toBe(78);
    expect(bad.out).toMatch(/LATCHKEY_SECRET_KEY/);
  });

  it('admin invite prints a one-time link that the server then accepts, and the server prints the setup link', async () => {
    const env = { LATCHKEY_DATA_DIR: freshDir(), LATCHKEY_RATE_LIMIT: 'off', LATCHKEY_PUBLIC_URL: 'https://auth.example.com' };
    const r = await cli(['admin', 'invite'], env);
    expect(r.code).toBe(0);
    const token = r.out.match(/https:\/\/auth\.example\.com\/dashboard\/setup\?token=([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    const server = await startServerProcess(env);
    try {
      // No administrator yet: the start prints its own setup link too (after the first line, maybe in a later chunk).
      const printed = /No administrator yet\. Open this one-time link[^\n]*\n\s+https:\/\/auth\.example\.com\/dashboard\/setup\?token=/;
      await new Promise<void>((resolve) => {
        const check = () => printed.test(server.output()) && (server.child.stdout!.off('data', check), resolve());
        server.child.stdout!.on('data', check);
        check();
      });
      const valid = async (t: string) => ((await (await fetch(`${server.url}/dashboard/api/setup?token=${t}`)).json()) as { valid: boolean }).valid;
      expect(await valid(token!)).toBe(true);
      expect(await valid('A'.repeat(43))).toBe(false);
    } finally {
      await server.stop();
    }
    expect((await cli(['admin', 'invite', 'extra'], env)).code).toBe(2);
  });

  it('sweeps once and says what it deleted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const r = await cli(['sweep'], { LATCHKEY_DATA_DIR: dir });
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/Deleted: 0 audit_events, 0 sign_ins, 0 sign_ups, 0 passkey_registrations, 0 sessions, 0 clients, 0 administrator_rows\./);
  });
});
