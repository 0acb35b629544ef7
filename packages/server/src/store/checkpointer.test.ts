import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './db.js';

describe('SQLite checkpoints off the event loop', () => {
  it('keeps the write-ahead log from growing although the main connection never checkpoints', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-ckpt-'));
    const file = path.join(dir, 'db.sqlite');
    const warnings: string[] = [];
    const store = openStore({ databaseUrl: null, sqlitePath: file, warn: (m) => warnings.push(m) });
    try {
      await store.db.schema.createTable('t').addColumn('v', 'text').execute();
      const walSize = () => fs.statSync(`${file}-wal`).size;
      const writeMany = async () => {
        for (let i = 0; i < 400; i++) await store.db.insertInto('t' as never).values({ v: 'x'.repeat(3000) } as never).execute();
      };
      await writeMany(); // ~400 pages appended to the log
      const grown = walSize();
      // The worker checkpoints within a few intervals; the next writes then restart the log from
      // its beginning instead of appending (without checkpoints it would double).
      await new Promise((r) => setTimeout(r, 1000));
      await writeMany();
      expect(walSize()).toBeLessThan(grown * 1.5);
      expect(warnings).toEqual([]);
      const rows = await store.db.selectFrom('t' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      expect(Number((rows as { n: number }).n)).toBe(800);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
