/**
 * Everything a request handler needs, built once at start-up (see server.ts) and passed down.
 * Tests build the same object around a fresh database and a movable clock.
 */
import type { Config } from './config/index.js';
import type { DevMailbox } from './email/mailbox.js';
import type { Mailer } from './email/send.js';
import type { Dispatcher } from './outbox/dispatcher.js';
import type { RateLimiter } from './rate-limit/index.js';
import type { SecretKeys } from './secret-keys/index.js';
import type { SigningKeys } from './sessions/keys.js';
import type { SessionTokens } from './sessions/tokens.js';
import type { SettingsService } from './settings/index.js';
import type { Store } from './store/db.js';
import type { Clock } from './util/time.js';

export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  settings: SettingsService;
  keys: SigningKeys;
  tokens: SessionTokens;
  secretKeys: SecretKeys;
  rateLimiter: RateLimiter | null;
  /** Per-instance secret for decoy credentials (never leaves the server). */
  decoySecret: string;
  /**
   * Delivers outbox messages (webhooks). Started by `startServer`; tests drive it by hand
   * (`runOnce`). Flows `kick()` it after committing so delivery starts without waiting for a poll.
   */
  dispatcher: Dispatcher;
  /**
   * Outgoing email: `secret` keys code MACs and sealed outbox payloads (never leaves the server);
   * `mailbox` is the development mailbox, null in production or with SMTP configured.
   */
  email: { secret: string; mailer: Mailer; mailbox: DevMailbox | null };
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

