/**
 * Drives the real Hono app in-process (`app.request`, no mocks between the test and the routes)
 * on a fresh database, with a movable clock. `TestBrowser` plays one browser: it keeps the
 * `__client` cookie, sends `Origin` and a user agent, and speaks the SDK's wire format.
 */
import { afterEach } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config/index.js';
import type { Deps } from '../../src/deps.js';
import { buildDeps } from '../../src/server.js';
import type { InstanceSettings } from '../../src/settings/index.js';
import { freshStore, type TestEngine, testEngine } from './database.js';

export const CHROME_LINUX_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const DEV_ORIGIN = 'http://localhost:3000';

export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 24, 12, 0, 0)) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    mode: 'development',
    host: '127.0.0.1',
    port: 0,
    databaseUrl: null,
    sqlitePath: ':memory:',
    redisUrl: null,
    publicUrl: 'http://localhost:4000',
    rateLimit: null,
    trustProxy: false,
    staticDir: null,
    tokenAlg: 'ES256',
    settingsOverrides: {},
    email: { smtpUrl: null, from: 'Latchkey <no-reply@localhost>', replyTo: null },
    ...overrides,
  };
}

export interface TestServer {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  clock: TestClock;
  logs: string[];
  browser(opts?: { origin?: string; userAgent?: string }): TestBrowser;
  setSettings(patch: Partial<InstanceSettings>): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export async function createTestServer(
  o: {
    config?: Partial<Config>;
    settings?: Partial<InstanceSettings>;
    engine?: TestEngine;
    rateLimiter?: Deps['rateLimiter'];
    /** Sees every SQL statement the server sends. */
    onQuery?: (sql: string) => void;
  } = {},
): Promise<TestServer> {
  const clock = new TestClock();
  const { store, cleanup } = await freshStore(o.engine ?? testEngine, o.onQuery);
  cleanups.push(cleanup);
  const logs: string[] = [];
  const deps = await buildDeps(testConfig(o.config), { clock, store, log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`) });
  if (o.settings) await deps.settings.update(o.settings);
  if (o.rateLimiter) {
    deps.rateLimiter = o.rateLimiter;
    cleanups.push(() => o.rateLimiter!.close());
  }
  const app = createApp(deps);
  return {
    deps,
    app,
    clock,
    logs,
    browser: (b = {}) => new TestBrowser(app, b.origin ?? DEV_ORIGIN, b.userAgent ?? CHROME_LINUX_UA),
    setSettings: async (patch) => {
      await deps.settings.update(patch);
    },
  };
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestBrowser {
  cookie: string | null = null;
  /** `__client`, or `__Host-client` when the server's public URL is https (middleware/client-cookie/names.ts). */
  cookieName = '__client';
  constructor(
    readonly app: { request: (input: string, init?: RequestInit) => Response | Promise<Response> },
    public origin: string | null,
    public userAgent: string,
  ) {}

  async request(method: string, path: string, params?: Record<string, unknown>, init: { json?: boolean; headers?: Record<string, string> } = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...init.headers };
    if (this.origin) headers.origin = this.origin;
    if (this.cookie) headers.cookie = `${this.cookieName}=${this.cookie}`;
    let body: string | undefined;
    if (params) {
      if (init.json) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(params);
      } else {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(
          Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        ).toString();
      }
    }
    const res = await this.app.request(path, { method, headers, body });
    const setCookie = res.headers.get('set-cookie');
    const m = setCookie?.match(/(__Host-client|__client)=([^;]*)/);
    if (m) {
      this.cookieName = m[1]!;
      this.cookie = m[2]!;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: tests assert on it as text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, params: Record<string, unknown> = {}, init?: { json?: boolean; headers?: Record<string, string> }) {
    return this.request('POST', path, params, init);
  }
}
