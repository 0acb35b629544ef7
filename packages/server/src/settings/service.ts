/**
 * The instance settings of the running server. Every process re-reads them after a short TTL, so
 * a change made through one server reaches the others within `CACHE_MS` and reaches the one that
 * made it at once. Changes are validated (schema.ts) and audited in the same transaction.
 */
import { type AuditContext, audit } from '../audit/index.js';
import { ConfigError, type SettingsOverrides } from '../config/index.js';
import { LatchkeyError } from '../errors/index.js';
import * as settingsStore from '../store/settings.js';
import type { Store } from '../store/db.js';
import type { Clock } from '../util/time.js';
import { defaultSettings, type InstanceSettings, settingsSchema, validateSettings } from './schema.js';

const CACHE_MS = 1000;

/** The environment variable that pins each overridable setting, for start-up messages. */
const ENV_NAMES: Record<keyof SettingsOverrides, string> = {
  domain: 'LATCHKEY_DOMAIN',
  rpId: 'LATCHKEY_RP_ID',
  allowSubdomains: 'LATCHKEY_ALLOW_SUBDOMAINS',
  allowedOrigins: 'LATCHKEY_ALLOWED_ORIGINS',
  relatedOrigins: 'LATCHKEY_RELATED_ORIGINS',
  applicationName: 'LATCHKEY_APP_NAME',
  brandColor: 'LATCHKEY_BRAND_COLOR',
  backgroundColor: 'LATCHKEY_BACKGROUND_COLOR',
  multiSession: 'LATCHKEY_MULTI_SESSION',
  recoveryCodes: 'LATCHKEY_RECOVERY_CODES',
};

export class SettingsService {
  private cached: { value: InstanceSettings; at: number } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<InstanceSettings> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const stored = await settingsStore.read(this.store.db);
    // Merged over defaults so a setting added in a later release has a value. Only the shape is
    // checked here: a value stored before a domain rule existed must not stop every request.
    const value = settingsSchema.parse({ ...defaultSettings, ...stored });
    this.cached = { value, at: now };
    return value;
  }

  /**
   * Validates and stores a change, audited; applies to this process at once. A bad value throws
   * `form_param_format_invalid` (422) naming the setting, and nothing is written.
   */
  async update(patch: Partial<InstanceSettings>, actor = 'system', ctx?: AuditContext): Promise<InstanceSettings> {
    const current = await this.getFresh();
    const next = validateSettings({ ...current, ...patch });
    const now = this.clock.now();
    await this.store.db.transaction().execute(async (trx) => {
      await settingsStore.write(trx, next, now);
      await audit(trx, now, 'settings.updated', { data: { actor, changed: Object.keys(patch) }, ctx });
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
    if (!changed) return;
    try {
      await this.update(overrides, 'environment');
    } catch (err) {
      // A pinned value that clashes with a stored one (LATCHKEY_RP_ID outside the stored domain)
      // stops the start like any other bad variable: named, without a stack trace.
      if (!(err instanceof LatchkeyError)) throw err;
      const key = (Object.keys(ENV_NAMES) as (keyof SettingsOverrides)[]).find((k) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`) === err.meta.param_name);
      const where = key && key in overrides ? ENV_NAMES[key] : `stored setting ${err.meta.param_name}`;
      throw new ConfigError([`${where}: ${err.longMessage}`]);
    }
  }

  private async getFresh(): Promise<InstanceSettings> {
    this.cached = null;
    return this.get();
  }
}
