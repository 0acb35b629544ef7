import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/process.js';

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

describe('the latchkey CLI', () => {
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
});
