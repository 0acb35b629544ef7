import { describe, expect, it } from 'vitest';
import { errorCode, explainDatabaseError, explainListenError, StartupError } from './errors.js';

const sys = (code: string) => Object.assign(new Error(`${code} happened`), { code });
const pg = { databaseUrl: 'postgres://app:s3cret@db.internal:6543/shop', sqlitePath: '/x/latchkey.db' };

describe('start-up errors', () => {
  it('finds the code through kysely causes and happy-eyeballs AggregateErrors', () => {
    expect(errorCode(new Error('Migration failed', { cause: sys('ECONNREFUSED') }))).toBe('ECONNREFUSED');
    expect(errorCode(new AggregateError([sys('ECONNREFUSED'), sys('ECONNREFUSED')]))).toBe('ECONNREFUSED');
    expect(errorCode(new Error('plain'))).toBeUndefined();
  });

  it('names PORT or HOST for listen failures, and leaves other errors alone', () => {
    expect(explainListenError(sys('EADDRINUSE'), '127.0.0.1', 4000)).toMatchObject({ variable: 'PORT', message: expect.stringMatching(/^PORT: 127\.0\.0\.1:4000 is already in use/) });
    expect(explainListenError(sys('EACCES'), '0.0.0.0', 80)).toMatchObject({ variable: 'PORT' });
    expect(explainListenError(sys('EADDRNOTAVAIL'), '10.1.2.3', 4000)).toMatchObject({ variable: 'HOST' });
    expect(explainListenError(sys('ENOTFOUND'), 'nowhere', 4000)).toMatchObject({ variable: 'HOST' });
    const other = sys('EMFILE');
    expect(explainListenError(other, 'h', 1)).toBe(other);
  });

  it('names DATABASE_URL without repeating its password', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', '28P01', '3D000']) {
      const e = explainDatabaseError(new Error('Migration failed', { cause: sys(code) }), pg);
      expect(e).toBeInstanceOf(StartupError);
      expect((e as StartupError).variable).toBe('DATABASE_URL');
      expect((e as Error).message).not.toContain('s3cret');
    }
    expect((explainDatabaseError(sys('ECONNREFUSED'), pg) as Error).message).toContain('db.internal:6543');
    expect((explainDatabaseError(sys('3D000'), pg) as Error).message).toContain('createdb shop');
    const bug = new TypeError('x is undefined');
    expect(explainDatabaseError(bug, pg)).toBe(bug);
  });

  it('names LATCHKEY_DATA_DIR when the SQLite file cannot be written', () => {
    const sqlite = { databaseUrl: null, sqlitePath: '/ro/latchkey.db' };
    expect(explainDatabaseError(sys('EACCES'), sqlite)).toMatchObject({ variable: 'LATCHKEY_DATA_DIR' });
    expect(explainDatabaseError(sys('SQLITE_CANTOPEN'), sqlite)).toMatchObject({ variable: 'LATCHKEY_DATA_DIR' });
    expect(explainDatabaseError(sys('ECONNREFUSED'), sqlite)).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
