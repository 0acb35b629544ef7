import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, startServerProcess } from '../support/process.js';

const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

// Each test spawns Node processes: on a loaded machine that takes seconds, so the timeout is generous.
describe('the latchkey CLI', { timeout: 120_000 }, () => {
  it('migrates, then rotates keys keeping the previous one published', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const env = { LATCHKEY_DATA_DIR: dir };
    expect((await cli(['migrate'], env)).out).toMatch(/Applied migrations: 0001_initial/);
    expect((await cli(['migrate'], env)).out).toMatch(/up to date/);
    const first = await cli(['rotate-keys'], env);
    expect(first).toMatchObject({ code: 0 });
    const second = await cli(['rotate-keys'], { ...env, LATCHKEY_TOKEN_ALG: 'RS256' });
    expect(second.code).toBe(0);
    const db = new SQLite(path.join(dir, 'latchkey.db'), { readonly: true });
    const slots = db.prepare("select slot, alg from signing_keys where slot is not null order by slot").all();
    db.close();
    expect(slots).toEqual([
      { slot: 'current', alg: 'RS256' },
      { slot: 'previous', alg: 'ES256' },
    ]);
  });

  it('prints the RS256 public key as PEM for @clerk/backend, and refuses an ES256 key with the fix', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const es = await cli(['jwt-public-key'], { LATCHKEY_DATA_DIR: dir });
    expect(es.code).toBe(1);
    expect(es.out).toMatch(/LATCHKEY_TOKEN_ALG=RS256/);
    const rs = await cli(['jwt-public-key'], { LATCHKEY_DATA_DIR: dir, LATCHKEY_TOKEN_ALG: 'RS256' });
    expect(rs.code).toBe(0);
    expect(rs.out).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  });

  it('refuses bad configuration with exit code 78 and a message naming the variable', async () => {
    const r = await cli(['start'], { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(78);
    expect(r.out).toMatch(/PORT/);
    expect(r.out).toMatch(/DATABASE_URL: must start with postgres/);
    expect(r.out).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('refuses an unknown command with usage', async () => {
    const r = await cli(['serve'], {});
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Usage: latchkey start \| latchkey migrate \| latchkey rotate-keys/);
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

  it('sweeps once and says what it deleted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
    const r = await cli(['sweep'], { LATCHKEY_DATA_DIR: dir });
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/Deleted: 0 audit_events, 0 sign_ins, 0 sign_ups, 0 passkey_registrations, 0 sessions, 0 clients\./);
  });
});

