import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as tick } from 'node:timers/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './db.js';

/**
 * Reads the WAL index (the -shm file, SQLite's wal.c layout): `mxFrame`, the last valid frame of
 * the log, is at byte 16 of the index header; `nBackfill`, how many frames a checkpoint has copied
 * into the database, at byte 96. Both in the machine's byte order.
 */
function logFullyCheckpointed(file: string): boolean {
  const shm = fs.readFileSync(`${file}-shm`);
  const read = (at: number) => (os.endianness() === 'LE' ? shm.readUInt32LE(at) : shm.readUInt32BE(at));
  const mxFrame = read(16);
  return mxFrame > 0 && read(96) === mxFrame;
}

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
      // Once the worker has copied the whole log back, the next writes restart the log from its
      // beginning instead of appending (without checkpoints it would double). Wait for that
      // event, however long a busy machine takes, not for a guessed time.
      while (!logFullyCheckpointed(file)) await tick(10);
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
