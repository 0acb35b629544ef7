/**
 * Stands in for the browser's `navigator.credentials`, backed by the server tests' software
 * authenticator (real keys, real signatures). The SDK hands it binary options as a browser
 * would; it answers with WebAuthn JSON, which the SDK accepts like a password-manager extension's
 * credential. Real-browser behaviour itself is covered by e2e/ in Chromium.
 */
import { SoftwareAuthenticator } from '../../server/test/support/authenticator.js';

const b64 = (v: ArrayBuffer | ArrayBufferView) =>
  Buffer.from(v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).toString('base64url');

function creationToJSON(o: PublicKeyCredentialCreationOptions) {
  return {
    ...o,
    challenge: b64(o.challenge as ArrayBuffer),
    user: { ...o.user, id: b64(o.user.id as ArrayBuffer) },
    excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ ...c, id: b64(c.id as ArrayBuffer) })),
  };
}

function requestToJSON(o: PublicKeyCredentialRequestOptions) {
  return {
    ...o,
    challenge: b64(o.challenge as ArrayBuffer),
    allowCredentials: (o.allowCredentials ?? []).map((c) => ({ ...c, id: b64(c.id as ArrayBuffer) })),
  };
}

function domException(name: string, message: string) {
  return Object.assign(new Error(message), { name });
}

export class SoftwareNavigator {
  /** The authenticator the "user" holds right now; tests swap it to simulate another device. */
  current = new SoftwareAuthenticator();
  constructor(public origin: string) {}

  install(): () => void {
    const g = globalThis as Record<string, unknown>;
    const saved = { navigator: g.navigator, PublicKeyCredential: g.PublicKeyCredential };
    Object.defineProperty(globalThis, 'navigator', { value: { credentials: this.credentials() }, configurable: true, writable: true });
    g.PublicKeyCredential = class PublicKeyCredential {};
    return () => {
      Object.defineProperty(globalThis, 'navigator', { value: saved.navigator, configurable: true, writable: true });
      g.PublicKeyCredential = saved.PublicKeyCredential;
    };
  }

  private credentials() {
    return {
      create: async (req: CredentialCreationOptions) => {
        try {
          return await this.current.create(creationToJSON(req.publicKey!) as never, { origin: this.origin });
        } catch (err) {
          throw domException((err as Error).name, (err as Error).message);
        }
      },
      get: async (req: CredentialRequestOptions) => {
        try {
          return await this.current.get(requestToJSON(req.publicKey!) as never, { origin: this.origin });
        } catch (err) {
          throw domException((err as Error).name, (err as Error).message);
        }
      },
    };
  }
}

/** A `fetch` that routes to the in-process app and keeps the `__client` cookie, like a browser. */
export function browserFetch(app: { request: (p: string, init?: RequestInit) => Response | Promise<Response> }, origin: string) {
  let cookie: string | null = null;
  return async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    headers.set('origin', origin);
    if (cookie) headers.set('cookie', `__client=${cookie}`);
    const res = await app.request(url.pathname + url.search, { ...init, headers });
    const m = res.headers.get('set-cookie')?.match(/__client=([^;]*)/);
    if (m) cookie = m[1]!;
    return res;
  };
}
