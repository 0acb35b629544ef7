/**
 * Process configuration from environment variables, validated once at start-up. A bad value stops
 * the process with a message naming the variable and what to put there (never a stack trace).
 * Instance settings that an operator changes at run time (passkeys on/off, lifetimes, …) live in
 * the database instead: see settings/.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { hostnameProblem, originProblem, rpIdDomainProblem } from '../domains/rules.js';

export type Mode = 'development' | 'production';

export interface RateLimitConfig {
  /** Requests allowed per window per client IP and endpoint group; `null` = rate limits off. */
  max: number;
  windowSeconds: number;
}

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl: string | null;
  /**
   * PostgreSQL: prepare each statement once per connection (named statements). Off for a pooler
   * that cannot carry them (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
   */
  pgPreparedStatements?: boolean;
  sqlitePath: string;
  redisUrl: string | null;
  /** Where browsers reach this server; the session token's `iss`. */
  publicUrl: string;
  rateLimit: RateLimitConfig | null;
  /** Take the client IP from the last `X-Forwarded-For` hop (set behind a reverse proxy only). */
  trustProxy: boolean;
  /** Signature algorithm of session tokens. */
  tokenAlg: 'ES256' | 'RS256';
  /** Directory of a built web app to serve at `/` (the demo), if any. */
  staticDir: string | null;
  /** Instance settings pinned by the environment; they override the stored values at start. */
  settingsOverrides: SettingsOverrides;
  /** A backend API secret key pinned by the environment (`LATCHKEY_SECRET_KEY`); only its hash is kept. */
  secretKey?: string | null;
  /** How often the server sweeps old rows (`LATCHKEY_SWEEP_INTERVAL` seconds); 0 or unset: never. */
  sweepIntervalSeconds?: number;
  /** Outgoing email (see email/). */
  email: EmailConfig;
}

export interface EmailConfig {
  /** `smtp://` or `smtps://` with optional credentials; null: development mailbox (development) or no email (production). */
  smtpUrl: string | null;
  /** The From header: `address` or `Name <address>`. */
  from: string;
  replyTo: string | null;
}

export interface SettingsOverrides {
  domain?: string;
  rpId?: string;
  allowSubdomains?: boolean;
  allowedOrigins?: string[];
  relatedOrigins?: string[];
  applicationName?: string;
  brandColor?: string;
  backgroundColor?: string;
  multiSession?: boolean;
  recoveryCodes?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One line per bad variable: `NAME: what to put there`. */
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** An origin entry of a list; the shared rule (domains/rules.ts), quoting the entry at fault. */
const originString = z.string().superRefine((s, ctx) => {
  const problem = originProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${s}" ${problem}` });
});

/** `localhost:4000` parses as a URL whose scheme is `localhost:`; only http(s) with a host is one. */
function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !u.search && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
}

const hostname = z.string().superRefine((s, ctx) => {
  const problem = hostnameProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The account portal's colours (settings/schema.ts checks the stored ones the same way). */
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour in the form #4f46e5 (# and six hex digits)' });

const envSchema = z.object({
  LATCHKEY_MODE: z.enum(['development', 'production']).optional(),
  NODE_ENV: z.string().optional(),
  HOST: z
    .string()
    .refine((s) => isIP(s) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(s), {
      message: 'must be an address of this machine to listen on, such as 127.0.0.1, 0.0.0.0 or ::1 (no scheme, port or path)',
    })
    .default('127.0.0.1'),
  PORT: z
    .string()
    .refine((s) => /^\d{1,5}$/.test(s) && Number(s) <= 65535, { message: 'must be a whole number from 0 to 65535, e.g. 4000 (0 picks a free port)' })
    .default('4000')
    .transform(Number),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql:// (leave it unset for SQLite)' })
    .optional(),
  LATCHKEY_PG_PREPARED: z.enum(['on', 'off'], { message: 'must be on or off (off behind a pooler that does not keep prepared statements)' }).default('on'),
  LATCHKEY_DATA_DIR: z.string().min(1).default('.latchkey'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' }).optional(),
  LATCHKEY_PUBLIC_URL: z
    .string()
    .refine(isHttpUrl, { message: 'must be a URL with its scheme, such as https://auth.example.com or http://localhost:4000' })
    .optional(),
  LATCHKEY_RATE_LIMIT: z
    .string()
    .regex(/^(off|[1-9]\d*\/[1-9]\d*)$/, { message: 'must be "off" or "<max requests>/<window seconds>" with both at least 1, e.g. 60/60' })
    .default('60/60'),
  LATCHKEY_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  LATCHKEY_STATIC_DIR: z.string().min(1).optional(),
  LATCHKEY_TOKEN_ALG: z.enum(['ES256', 'RS256'], { message: 'must be ES256 or RS256' }).default('ES256'),
  LATCHKEY_DOMAIN: hostname.optional(),
  LATCHKEY_RP_ID: hostname.optional(),
  LATCHKEY_ALLOW_SUBDOMAINS: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  LATCHKEY_ALLOWED_ORIGINS: list.pipe(z.array(originString)).optional(),
  LATCHKEY_RELATED_ORIGINS: list.pipe(z.array(originString)).optional(),
  LATCHKEY_APP_NAME: z.string().min(1).max(64).optional(),
  LATCHKEY_BRAND_COLOR: hexColor.optional(),
  LATCHKEY_BACKGROUND_COLOR: hexColor.optional(),
  LATCHKEY_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_[A-Za-z0-9_-]{32,128}$/, { message: 'must be a secret key such as sk_live_ followed by at least 32 base64url characters (make one with `latchkey keys create`)' })
    .optional(),
  LATCHKEY_SWEEP_INTERVAL: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(3600),
  LATCHKEY_MULTI_SESSION: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  LATCHKEY_RECOVERY_CODES: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  LATCHKEY_SMTP_URL: z
    .string()
    .refine((s) => /^smtps?:$/.test(safeUrl(s)?.protocol ?? '') && !!safeUrl(s)?.hostname, {
      message: 'must be a URL such as smtp://user:password@mail.example.com:587 or smtps://mail.example.com:465',
    })
    .optional(),
  LATCHKEY_EMAIL_FROM: mailbox('LATCHKEY_EMAIL_FROM').optional(),
  LATCHKEY_EMAIL_REPLY_TO: mailbox('LATCHKEY_EMAIL_REPLY_TO').optional(),
});

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** `someone@example.com` or `Name <someone@example.com>`; no line breaks (header injection). */
function mailbox(name: string) {
  return z.string().regex(/^(?:[^<>\r\n]{1,64} <[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: `${name} must be an address such as no-reply@example.com or "Example <no-reply@example.com>"`,
  });
}

/** Parses `env` (default `process.env`); throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const mode: Mode = e.LATCHKEY_MODE ?? (e.NODE_ENV === 'production' ? 'production' : 'development');
  const problems: string[] = [];
  if (mode === 'production') {
    if (!e.LATCHKEY_DOMAIN) problems.push('LATCHKEY_DOMAIN: required in production (e.g. example.com)');
    if (!e.LATCHKEY_PUBLIC_URL?.startsWith('https://'))
      problems.push('LATCHKEY_PUBLIC_URL: required in production and must be https:// (e.g. https://auth.example.com)');
  }
  if (e.LATCHKEY_DOMAIN && e.LATCHKEY_RP_ID) {
    const problem = rpIdDomainProblem(e.LATCHKEY_RP_ID, e.LATCHKEY_DOMAIN);
    if (problem) problems.push(`LATCHKEY_RP_ID: ${problem}`);
  }
  const pinnedMode = e.LATCHKEY_SECRET_KEY?.startsWith('sk_live_') ? 'production' : 'development';
  if (e.LATCHKEY_SECRET_KEY && pinnedMode !== mode) {
    problems.push(`LATCHKEY_SECRET_KEY: a ${mode} instance takes sk_${mode === 'production' ? 'live' : 'test'}_ keys`);
  }
  // A relay accepts mail only from addresses it is allowed to send for: guessing one would fail later, at every send.
  if (e.LATCHKEY_SMTP_URL && !e.LATCHKEY_EMAIL_FROM)
    problems.push('LATCHKEY_EMAIL_FROM: required with LATCHKEY_SMTP_URL (e.g. "Example <no-reply@example.com>")');
  if (problems.length) throw new ConfigError(problems);

  const [max, windowSeconds] = e.LATCHKEY_RATE_LIMIT === 'off' ? [0, 0] : e.LATCHKEY_RATE_LIMIT.split('/').map(Number);
  return {
    mode,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    pgPreparedStatements: e.LATCHKEY_PG_PREPARED === 'on',
    sqlitePath: path.resolve(e.LATCHKEY_DATA_DIR, 'latchkey.db'),
    redisUrl: e.REDIS_URL ?? null,
    publicUrl: (e.LATCHKEY_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    rateLimit: e.LATCHKEY_RATE_LIMIT === 'off' ? null : { max: max!, windowSeconds: windowSeconds! },
    trustProxy: e.LATCHKEY_TRUST_PROXY === 'true' || e.LATCHKEY_TRUST_PROXY === '1',
    staticDir: e.LATCHKEY_STATIC_DIR ? path.resolve(e.LATCHKEY_STATIC_DIR) : null,
    tokenAlg: e.LATCHKEY_TOKEN_ALG,
    secretKey: e.LATCHKEY_SECRET_KEY ?? null,
    sweepIntervalSeconds: e.LATCHKEY_SWEEP_INTERVAL,
    settingsOverrides: {
      ...(e.LATCHKEY_DOMAIN && { domain: e.LATCHKEY_DOMAIN }),
      ...(e.LATCHKEY_RP_ID && { rpId: e.LATCHKEY_RP_ID }),
      ...(e.LATCHKEY_ALLOW_SUBDOMAINS && { allowSubdomains: e.LATCHKEY_ALLOW_SUBDOMAINS === 'true' }),
      ...(e.LATCHKEY_ALLOWED_ORIGINS && { allowedOrigins: e.LATCHKEY_ALLOWED_ORIGINS }),
      ...(e.LATCHKEY_RELATED_ORIGINS && { relatedOrigins: e.LATCHKEY_RELATED_ORIGINS }),
      ...(e.LATCHKEY_APP_NAME && { applicationName: e.LATCHKEY_APP_NAME }),
      ...(e.LATCHKEY_BRAND_COLOR && { brandColor: e.LATCHKEY_BRAND_COLOR }),
      ...(e.LATCHKEY_BACKGROUND_COLOR && { backgroundColor: e.LATCHKEY_BACKGROUND_COLOR }),
      ...(e.LATCHKEY_MULTI_SESSION && { multiSession: e.LATCHKEY_MULTI_SESSION === 'true' }),
      ...(e.LATCHKEY_RECOVERY_CODES && { recoveryCodes: e.LATCHKEY_RECOVERY_CODES === 'true' }),
    },
    email: {
      smtpUrl: e.LATCHKEY_SMTP_URL ?? null,
      from: e.LATCHKEY_EMAIL_FROM ?? `no-reply@${e.LATCHKEY_DOMAIN ?? 'localhost'}`,
      replyTo: e.LATCHKEY_EMAIL_REPLY_TO ?? null,
    },
  };
}
