/**
 * Start-up: open the store, migrate, make sure a signing key exists, apply settings pinned by the
 * environment, then serve. `buildDeps` is shared with the tests, which use it on fresh databases.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen, mountStatic, nodeRuntime } from './adapters/node/index.js';
import { setupLinkIfNoAdministrator } from './admin/administrators.js';
import { createApp } from './app.js';
import { DASHBOARD_API } from './dashboard/api.js';
import { pageSecurity } from './middleware/page-security/index.js';
import { DevMailbox } from './email/mailbox.js';
import { EMAIL_TOPIC, emailHandler } from './email/outbox.js';
import { createMailer } from './email/send.js';
import { Dispatcher, type DispatcherOptions } from './outbox/dispatcher.js';
import { webhookHandler } from './webhooks/deliver.js';
import { WEBHOOK_TOPIC } from './webhooks/events.js';
import type { Config } from './config/index.js';
import { clerkSdkKey } from './config/clerk-publishable-key.js';
import { publishableKey } from './config/publishable-key.js';
import { isApiPath } from './fapi/unknown-path.js';
import { PORTAL_BASE, PORTAL_PAGES } from './portal/routes.js';
import type { Deps } from './deps.js';
import { memoryRateLimiter, redisRateLimiter } from './rate-limit/index.js';
import { SecretKeys } from './secret-keys/index.js';
import { SigningKeys } from './sessions/keys.js';
import { SessionTokens } from './sessions/tokens.js';
import { SettingsService } from './settings/index.js';
import { explainDatabaseError, explainListenError } from './startup/errors.js';
import { openStore, type Store } from './store/db.js';
import { migrateToLatest } from './store/migrations.js';
import * as secrets from './store/secrets.js';
import { startSweeper } from './sweep/index.js';
import { type Clock, systemClock } from './util/time.js';

const DECOY_SECRET = 'decoy_key';
const EMAIL_SECRET = 'email_key';

async function loadOrCreateSecret(store: Store, name: string, now: number): Promise<string> {
  return secrets.loadOrCreate(store.db, name, randomBytes(32).toString('base64url'), now);
}

export const consoleLog: Deps['log'] = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields, time: new Date().toISOString() });
  (level === 'error' ? console.error : console.log)(line);
};

export async function buildDeps(
  config: Config,
  o: { clock?: Clock; store?: Store; log?: Deps['log']; dispatcher?: DispatcherOptions } = {},
): Promise<Deps> {
  const clock = o.clock ?? systemClock;
  let store: Store;
  try {
    store = o.store ?? openStore({ ...config, warn: (message) => (o.log ?? consoleLog)('warn', message) });
  } catch (err) {
    throw explainDatabaseError(err, config);
  }
  // The first query: an unreachable or misconfigured database shows up here.
  await migrateToLatest(store.db, store.engine).catch((err: unknown) => {
    throw explainDatabaseError(err, config);
  });
  const settings = new SettingsService(store, clock);
  await settings.applyOverrides(config.settingsOverrides);
  const keys = new SigningKeys(store, clock, config.tokenAlg);
  await keys.ensureKey();
  const rateLimiter = config.rateLimit
    ? config.redisUrl
      ? redisRateLimiter(config.rateLimit, config.redisUrl, undefined, (err) =>
          (o.log ?? consoleLog)('warn', 'Redis unreachable: rate limits counted per process until it is back', { error: err.message }),
        )
      : memoryRateLimiter(config.rateLimit)
    : null;
  const log = o.log ?? consoleLog;
  const emailSecret = await loadOrCreateSecret(store, EMAIL_SECRET, clock.now());
  // The development mailbox exists only in development: production never serves /dev/mailbox.
  const mailbox = config.mode === 'development' && !config.email.smtpUrl ? new DevMailbox() : null;
  const mailer = createMailer({ email: config.email, mode: config.mode, mailbox, now: clock.now, log });
  return {
    config,
    store,
    clock,
    settings,
    keys,
    tokens: new SessionTokens(keys, config.publicUrl),
    secretKeys: new SecretKeys(store, clock, config.mode, config.secretKey ?? null),
    rateLimiter,
    decoySecret: await loadOrCreateSecret(store, DECOY_SECRET, clock.now()),
    dispatcher: new Dispatcher(
      { store, clock, log },
      {
        [WEBHOOK_TOPIC]: webhookHandler({ store, clock }),
        [EMAIL_TOPIC]: emailHandler({ secret: emailSecret, mailer, applicationName: async () => (await settings.get()).applicationName }),
      },
      o.dispatcher,
    ),
    email: { secret: emailSecret, mailer, mailbox },
    log,
  };
}

/** What `latchkey start` (and the demo) print once listening: where, how, and what to copy. */
export function startupBanner(server: RunningServer): string[] {
  const config = server.deps.config;
  const db = config.databaseUrl ? 'PostgreSQL' : `SQLite (${config.sqlitePath})`;
  const lines = [
    `Latchkey is running at ${server.url}  [${config.mode}, ${db}]`,
    `Publishable key (for the browser SDK): ${publishableKey(config)}`,
  ];
  const clerk = clerkSdkKey(config);
  lines.push(`For Clerk's own SDKs: publishableKey ${clerk.publishableKey} with proxyUrl ${clerk.proxyUrl} (docs/clerk-sdk.md)`);
  if (portalBuilt()) lines.push(`Account portal (sign in, sign up, passkeys): ${server.url}${config.staticDir ? '/portal' : ''}/sign-in (docs/portal.md)`);
  if (!config.rateLimit) lines.push('WARNING: rate limits are off (LATCHKEY_RATE_LIMIT=off); use this for load tests only.');
  if (config.mode === 'development') lines.push('Development mode: http://localhost and http://*.localhost origins are allowed.');
  if (server.setupLink) {
    lines.push(`No administrator yet. Open this one-time link within an hour to register the first administrator's passkey:`, `  ${server.setupLink}`);
  } else {
    lines.push(`Dashboard: ${config.publicUrl}/dashboard (administrators sign in with their passkey; \`latchkey admin invite\` adds one)`);
  }
  if (server.deps.email.mailbox) lines.push(`No LATCHKEY_SMTP_URL: email goes to the development mailbox, ${server.url}/dev/mailbox`);
  else if (!config.email.smtpUrl) lines.push('WARNING: no LATCHKEY_SMTP_URL: no email is sent (verification codes, notices).');
  return lines;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  /** The one-time setup link printed at start when no administrator exists yet, else null. */
  setupLink: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Deps['log'];
  /** Mounts extra routes (an embedding app's own API) before the static files. */
  routes?: (app: ReturnType<typeof createApp>, deps: Deps) => void;
  /** Outbox delivery tuning (lease, poll interval); `false` runs no dispatcher in this process. */
  dispatcher?: DispatcherOptions | false;
}

/**
 * The account portal's build (apps/portal, written here by `npm run build`), shipped inside this
 * package next to `dist/`. Absent (a checkout that was never built): no portal is served.
 */
export const PORTAL_STATIC_DIR = fileURLToPath(new URL('../dist-portal', import.meta.url));

export function portalBuilt(dir = PORTAL_STATIC_DIR): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

/**
 * The built web apps, after every API route, with their pages' security headers: the account
 * portal under `/portal` (docs/portal.md), and the app of `appDir` at `/`. A server without an app
 * of its own (`accounts.example.com`) also answers the portal at `/sign-in`, `/sign-up` and `/user`,
 * and sends `/` to `/user`.
 */
export function mountWebApps(app: Parameters<typeof mountStatic>[0], o: { appDir: string | null; portalDir: string | null }): void {
  if (!o.appDir && !o.portalDir) return;
  app.use('/*', pageSecurity());
  if (o.portalDir) {
    // The portal's API (portal/routes.ts) is mounted before this; an unknown path under it is a JSON 404.
    const api = `${PORTAL_BASE}/api`;
    mountStatic(app, o.portalDir, { base: PORTAL_BASE, pages: o.appDir ? [] : PORTAL_PAGES, skip: (p) => p === api || p.startsWith(`${api}/`) });
    if (!o.appDir) app.get('/', (c) => c.redirect('/user'));
  }
  if (o.appDir) mountStatic(app, o.appDir, { skip: isApiPath });
}

/** The built web app in `root`, after every API route, with its pages' security headers. */
export function mountWebApp(app: Parameters<typeof mountStatic>[0], root: string): void {
  mountWebApps(app, { appDir: root, portalDir: null });
}

/** Where the dashboard's build lives: `dashboard/` in this package (apps/dashboard builds into it). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../dist-dashboard', import.meta.url));

/** The dashboard's pages at `/dashboard`, framed by no one (page CSP), its API excluded. */
export function mountDashboard(app: Parameters<typeof mountStatic>[0], root = DASHBOARD_DIR): void {
  app.use('/dashboard/*', pageSecurity());
  app.use('/dashboard', pageSecurity());
  if (!existsSync(root)) {
    const missing = (c: { text: (t: string, s: 404) => Response }) => c.text('The dashboard is not built: run `npm run build` at the repository root.', 404);
    app.get('/dashboard', missing);
    app.get('/dashboard/*', (c, next) => (c.req.path.startsWith(`${DASHBOARD_API}/`) ? next() : missing(c)));
    return;
  }
  mountStatic(app, root, { base: '/dashboard', skip: (p) => p === DASHBOARD_API || p.startsWith(`${DASHBOARD_API}/`) });
}

export async function startServer(config: Config, o: StartOptions = {}): Promise<RunningServer> {
  const { dispatcher, ...rest } = o;
  const deps = await buildDeps(config, { ...rest, ...(dispatcher ? { dispatcher } : {}) });
  if (dispatcher !== false) deps.dispatcher.start();
  const app = createApp(deps, nodeRuntime);
  o.routes?.(app, deps);
  mountDashboard(app);
  // API paths never fall through to the app's files or page: unknown ones answer a JSON 404.
  mountWebApps(app, { appDir: config.staticDir, portalDir: portalBuilt() ? PORTAL_STATIC_DIR : null });
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(app, { host: config.host, port: config.port });
  } catch (err) {
    // Closed in the background: with nothing listening, the event loop may hold nothing else,
    // and awaiting here could let the process end before the error is reported.
    void Promise.allSettled([deps.rateLimiter?.close(), deps.store.close()]);
    throw explainListenError(err, config.host, config.port);
  }
  const port = server.port;
  const setupLink = await setupLinkIfNoAdministrator(deps);
  const sweeper = config.sweepIntervalSeconds ? startSweeper(deps, config.sweepIntervalSeconds * 1000) : null;
  return {
    url: `http://localhost:${port}`,
    port,
    deps,
    setupLink,
    async close() {
      await server.close();
      await sweeper?.stop();
      await deps.dispatcher.stop();
      deps.email.mailer.close();
      await deps.rateLimiter?.close();
      await deps.store.close();
    },
  };
}
