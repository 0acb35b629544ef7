import type { ClientJSON, PasskeyJSON, SessionJSON, UserJSON } from '../resources/wire.js';
import { jwtValidFor } from './fake-jwt.js';

/** One request as the fake server saw it: method after `_method` tunnelling, path, query, form. */
export interface SeenRequest {
  method: string;
  httpMethod: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

export type Route = (req: SeenRequest) => { status?: number; body: unknown };

/**
 * A test double of the Frontend API: routes keyed by "METHOD /path" answer canned JSON, and every
 * request is recorded so tests can check the wire format the SDK produced.
 */
export function fakeFetch(routes: Record<string, Route>): { fetch: (url: string, init: RequestInit) => Promise<Response>; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    const httpMethod = init.method ?? 'GET';
    const req: SeenRequest = {
      method: u.searchParams.get('_method') ?? httpMethod,
      httpMethod,
      path: u.pathname,
      query: u.searchParams,
      form: new URLSearchParams(typeof init.body === 'string' ? init.body : ''),
    };
    seen.push(req);
    const route = routes[`${req.method} ${req.path}`];
    if (!route) return new Response(JSON.stringify({ errors: [{ code: 'resource_not_found', message: 'no route' }] }), { status: 404 });
    const { status = 200, body } = route(req);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, seen };
}

export function passkeyJSON(over: Partial<PasskeyJSON> = {}): PasskeyJSON {
  return {
    object: 'passkey',
    id: 'pk_1',
    name: 'Chrome on Linux',
    provider_name: 'Google Password Manager',
    verification: { status: 'verified', strategy: 'passkey', nonce: null, attempts: 1, expire_at: null },
    last_used_at: null,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...over,
  };
}

export function userJSON(over: Partial<UserJSON> = {}): UserJSON {
  return {
    object: 'user',
    id: 'user_1',
    username: 'ada',
    primary_email_address_id: 'idn_1',
    email_addresses: [{ object: 'email_address', id: 'idn_1', email_address: 'ada@example.com' }],
    passkeys: [passkeyJSON()],
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...over,
  };
}

export function sessionJSON(over: Partial<SessionJSON> = {}): SessionJSON {
  return {
    object: 'session',
    id: 'sess_1',
    status: 'active',
    user: userJSON(),
    last_active_at: 1_700_000_000_000,
    expire_at: 1_800_000_000_000,
    abandon_at: null,
    last_active_token: { object: 'token', jwt: jwtValidFor(60) },
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...over,
  };
}

export function clientJSON(over: Partial<ClientJSON> = {}): ClientJSON {
  return {
    object: 'client',
    id: 'client_1',
    sessions: [],
    sign_in: null,
    sign_up: null,
    last_active_session_id: null,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...over,
  };
}
