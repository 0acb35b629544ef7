/**
 * A browser on the dashboard: keeps the administrator cookie, sends the server's own `Origin`
 * (as the dashboard's pages do) and JSON bodies, and registers or signs in with a software
 * authenticator. Works against the in-process app or a server process (`remote`).
 */
import type { ApiResult } from './harness.js';
import { SoftwareAuthenticator } from './authenticator.js';

type Fetcher = { request: (input: string, init?: RequestInit) => Response | Promise<Response> };

export class DashboardBrowser {
  cookie: string | null = null;
  constructor(
    readonly app: Fetcher,
    public origin: string | null = 'http://localhost:4000',
    readonly authenticator = new SoftwareAuthenticator(),
    public headers: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0', ...this.headers };
    if (this.origin) headers.origin = this.origin;
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.get('set-cookie');
    const m = set?.match(/((?:__Host-)?latchkey_admin)=([^;]*)/);
    if (m) this.cookie = m[2] ? `${m[1]}=${m[2]}` : null;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* asserted as text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body: unknown = {}) {
    return this.request('POST', path, body);
  }
  patch(path: string, body: unknown) {
    return this.request('PATCH', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }

  /** Registers an administrator through a setup or invite link; answers the verify call. */
  async register(link: string, name = 'Ada', o: { origin?: string } = {}): Promise<ApiResult> {
    const token = new URL(link).searchParams.get('token')!;
    const started = await this.post('/dashboard/api/setup/options', { token, name });
    if (started.status !== 200) return started;
    const credential = await this.authenticator.create(started.body.options, { origin: o.origin ?? this.origin! });
    return this.post('/dashboard/api/setup/verify', { token, name, ceremony_id: started.body.ceremony_id, public_key_credential: credential });
  }

  async signIn(o: { origin?: string; credentialId?: string } = {}): Promise<ApiResult> {
    const started = await this.post('/dashboard/api/sign_in/options');
    if (started.status !== 200) return started;
    const assertion = await this.authenticator.get(started.body.options, { origin: o.origin ?? this.origin!, ...(o.credentialId && { credentialId: o.credentialId }) });
    return this.post('/dashboard/api/sign_in/verify', { ceremony_id: started.body.ceremony_id, public_key_credential: assertion });
  }
}
