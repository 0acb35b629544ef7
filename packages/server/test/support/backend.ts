/**
 * An app server calling the backend API: JSON bodies, `Authorization: Bearer <key>`, no cookie
 * and no Origin (server-to-server). Drives the same in-process app as TestBrowser.
 */
import type { ApiResult, TestServer } from './harness.js';

export class BackendClient {
  constructor(
    readonly app: TestServer['app'],
    public authorization: string | null,
    readonly extraHeaders: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const headers: Record<string, string> = { 'user-agent': 'app-server/1.0', ...this.extraHeaders };
    if (this.authorization) headers.authorization = this.authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
  post(path: string, body?: unknown) {
    return this.request('POST', path, body);
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }
}

/** A fresh secret key on the server and a client that presents it. */
export async function backendFor(server: TestServer, name = 'tests'): Promise<{ api: BackendClient; key: string; keyId: string }> {
  const { key, info } = await server.deps.secretKeys.create(name);
  return { api: new BackendClient(server.app, `Bearer ${key}`), key, keyId: info.id };
}
