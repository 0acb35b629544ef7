/**
 * The load driver's HTTP client: undici's connection pool with keep-alive, which costs the driver
 * far less CPU per request than `fetch` — the driver shares the machine with the server it
 * measures, so every microsecond it spends is one the server cannot use.
 */
import { Pool } from 'undici';

export interface HttpResult {
  status: number;
  body: any;
  /** Raw `Set-Cookie` values, for the caller's cookie jar. */
  setCookie: string[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as `application/x-www-form-urlencoded` (the Clerk-style frontend API's format). */
  form?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
}

export class Http {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  async request(method: string, path: string, o: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...o.headers };
    let body: string | undefined;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    } else if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    }
    const res = await this.pool.request({ method: method as 'GET', path, headers, body });
    const text = await res.body.text();
    const raw = res.headers['set-cookie'];
    const setCookie = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.statusCode, body: parsed, setCookie };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** One browser's cookies: enough of RFC 6265 for a load driver (name=value, no paths or expiry). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(setCookie: string[]): void {
    for (const line of setCookie) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An expired or emptied cookie is how servers delete one.
      if (value === '' || /max-age=0(?:;|$)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** Throws with the response attached, so the driver can count and sample errors. */
export function expectStatus(r: HttpResult, status: number, step: string): HttpResult {
  if (r.status !== status) {
    const detail = typeof r.body === 'string' ? r.body.slice(0, 200) : JSON.stringify(r.body)?.slice(0, 300);
    throw new Error(`${step}: expected ${status}, got ${r.status}: ${detail}`);
  }
  return r;
}
