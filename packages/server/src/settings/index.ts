/**
 * Instance settings (what the dashboard edits). Stored as one JSON row so a change is a single
 * atomic write; every process re-reads it after a short TTL, so a change made through one server
 * reaches the others within `CACHE_MS` and reaches the one that made it at once.
 */
import { z } from 'zod';
import type { SettingsOverrides } from '../config/index.js';
import type { Store } from '../store/db.js';
import type { Clock } from '../util/time.js';
import { audit } from '../audit/index.js';

export const settingsSchema = z.object({
  passkeysEnabled: z.boolean(),
  allowAutofill: z.boolean(),
  showSignInButton: z.boolean(),
  userVerification: z.enum(['required', 'preferred']),
  maxPasskeysPerUser: z.number().int().min(1).max(100),
  sessionIdleSeconds: z.number().int().min(60),
  sessionMaxSeconds: z.number().int().min(60),
  /** At least 30: the SDK renews a token 10 s before it expires, so shorter ones churn. */
  tokenSeconds: z.number().int().min(30).max(3600),
  domain: z.string().nullable(),
  rpId: z.string().nullable(),
  /** Trust every https subdomain of `domain`. Switch off when a subdomain serves untrusted content. */
  allowSubdomains: z.boolean(),
  allowedOrigins: z.array(z.string()),
  relatedOrigins: z.array(z.string()),
  applicationName: z.string().min(1).max(64),
});

export type InstanceSettings = z.infer<typeof settingsSchema>;

export const defaultSettings: InstanceSettings = {
  passkeysEnabled: true,
  allowAutofill: true,
  showSignInButton: true,
  userVerification: 'required',
  maxPasskeysPerUser: 10,
  sessionIdleSeconds: 7 * 24 * 3600,
  sessionMaxSeconds: 30 * 24 * 3600,
  tokenSeconds: 60,
  domain: null,
  rpId: null,
  allowSubdomains: true,
  allowedOrigins: [],
  relatedOrigins: [],
  applicationName: 'Latchkey',
};

const ROW_ID = 'instance';
const CACHE_MS = 1000;

export class SettingsService {
  private cached: { value: InstanceSettings; at: number } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<InstanceSettings> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const row = await this.store.db.selectFrom('settings').select('value').where('id', '=', ROW_ID).executeTakeFirst();
    // Stored JSON is merged over defaults so a setting added in a later release has a value.
    const value = settingsSchema.parse({ ...defaultSettings, ...(row ? JSON.parse(row.value) : {}) });
    this.cached = { value, at: now };
    return value;
  }

  /** Validates and stores a change, audited; applies to this process at once. */
  async update(patch: Partial<InstanceSettings>, actor = 'system'): Promise<InstanceSettings> {
    const current = await this.getFresh();
    const next = settingsSchema.parse({ ...current, ...patch });
    const now = this.clock.now();
    const value = JSON.stringify(next);
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('settings')
        .values({ id: ROW_ID, value, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ value, updated_at: now }))
        .execute();
      await audit(trx, now, 'settings.updated', { data: { actor, changed: Object.keys(patch) } });
    });
    this.cached = { value: next, at: now };
    return next;
  }

  /** Environment variables pin some settings; write them at start so every process agrees. */
  async applyOverrides(overrides: SettingsOverrides): Promise<void> {
    if (Object.keys(overrides).length === 0) return;
    const current = await this.getFresh();
    const changed = Object.entries(overrides).some(
      ([k, v]) => JSON.stringify(current[k as keyof InstanceSettings]) !== JSON.stringify(v),
    );
    if (changed) await this.update(overrides, 'environment');
  }

  private async getFresh(): Promise<InstanceSettings> {
    this.cached = null;
    return this.get();
  }
}
