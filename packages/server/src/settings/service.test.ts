/**
 * The settings service on a real database, both engines, without HTTP: what it stores, what it
 * refuses (and then leaves untouched), what it audits, and how pinned environment values apply.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStore, type TestEngine } from '../../test/support/database.js';
import { ConfigError } from '../config/index.js';
import { LatchkeyError } from '../errors/index.js';
import type { Store } from '../store/db.js';
import { migrateToLatest } from '../store/migrations.js';
import * as settingsStore from '../store/settings.js';
import { defaultSettings } from './schema.js';
import { SettingsService } from './service.js';

describe.each<TestEngine>(['sqlite', 'postgres'])('SettingsService on %s', (engine) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const clock = { t: 1_700_000_000_000, now() { return this.t; } };
  const auditRows = () => store.db.selectFrom('audit_events').select(['type', 'data']).where('type', '=', 'settings.updated').execute();

  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(engine));
    await migrateToLatest(store.db, store.engine);
  });
  afterEach(() => cleanup());

  it('answers the defaults before anything is stored', async () => {
    expect(await settingsStore.read(store.db)).toBeNull();
    expect(await new SettingsService(store, clock).get()).toEqual(defaultSettings);
  });

  it('stores a valid change, audits it in the same write, and another process sees it after the cache', async () => {
    const a = new SettingsService(store, clock);
    const b = new SettingsService(store, clock);
    expect((await b.get()).domain).toBeNull();
    await a.update({ domain: 'example.com', allowedOrigins: ['https://example.org'] }, 'admin_1');
    expect(await a.get()).toMatchObject({ domain: 'example.com', allowedOrigins: ['https://example.org'] });
    expect(await settingsStore.read(store.db)).toMatchObject({ domain: 'example.com' });
    expect((await b.get()).domain).toBeNull(); // still within b's cache window
    clock.t += 1000;
    expect((await b.get()).domain).toBe('example.com');
    const rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toEqual({ actor: 'admin_1', changed: ['domain', 'allowedOrigins'] });
  });

  it('refuses a bad origin with form_param_format_invalid naming the setting, and writes nothing', async () => {
    const s = new SettingsService(store, clock);
    await s.update({ applicationName: 'Acme' });
    const err = await s.update({ relatedOrigins: ['https://example.org/path'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LatchkeyError);
    expect(err).toMatchObject({ code: 'form_param_format_invalid', status: 422, meta: { param_name: 'related_origins' } });
    expect(await settingsStore.read(store.db)).toMatchObject({ applicationName: 'Acme', relatedOrigins: [] });
    expect(await auditRows()).toHaveLength(1);
  });

  it('refuses an RP ID unrelated to the stored domain', async () => {
    const s = new SettingsService(store, clock);
    await s.update({ domain: 'example.com' });
    await expect(s.update({ rpId: 'example.net' })).rejects.toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'rp_id' } });
    expect((await s.get()).rpId).toBeNull();
  });

  it('keeps serving a stored value that predates the domain rules (reads check the shape only)', async () => {
    await settingsStore.write(store.db, { ...defaultSettings, allowedOrigins: ['https://old.example.com/'] }, clock.now());
    expect((await new SettingsService(store, clock).get()).allowedOrigins).toEqual(['https://old.example.com/']);
  });

  it('applies values pinned by the environment once, and names the variable when they clash with a stored one', async () => {
    const s = new SettingsService(store, clock);
    await s.applyOverrides({ domain: 'example.com' });
    await s.applyOverrides({ domain: 'example.com' }); // unchanged: no second write
    expect((await auditRows()).map((r) => JSON.parse(r.data).actor)).toEqual(['environment']);
    const err = await s.applyOverrides({ rpId: 'example.net' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/LATCHKEY_RP_ID: rp_id "example.net" must be the domain example.com/);
  });
});
