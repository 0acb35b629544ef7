/**
 * A typed client for Latchkey's backend API (server to server, with a secret key):
 *
 *   const latchkey = createLatchkeyClient({ secretKey: process.env.LATCHKEY_SECRET_KEY!, apiUrl: 'https://auth.example.com' });
 *   const { data } = await latchkey.users.list({ query: 'alice' });
 *   await latchkey.sessions.revoke(sessionId);
 *
 * Every method answers the resource as the API sends it (snake_case, Unix-millisecond times) and
 * throws `LatchkeyApiError` with the server's code on an error answer.
 */
import { errorFromBody } from './errors.js';

export interface Page<T> {
  data: T[];
  has_more: boolean;
  total_count: number;
}

export interface PageParams {
  /** 1–500 (default 10). */
  limit?: number;
  /** The id of the last item of the previous page. */
  starting_after?: string;
}

export interface Passkey {
  object: 'passkey';
  id: string;
  name: string;
  provider_name: string;
  aaguid: string;
  /** `multi_device`: synced (backup eligible); `single_device`: bound to one authenticator. */
  device_type: 'multi_device' | 'single_device';
  backed_up: boolean;
  transports: string[];
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface User {
  object: 'user';
  id: string;
  username: string | null;
  primary_email_address_id: string | null;
  email_addresses: { object: 'email_address'; id: string; email_address: string }[];
  passkeys: Passkey[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  banned: boolean;
  locked: boolean;
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
}

export type SessionStatus = 'active' | 'ended' | 'revoked' | 'expired';

export interface Session {
  object: 'session';
  id: string;
  user_id: string;
  client_id: string;
  status: SessionStatus;
  last_active_at: number;
  expire_at: number;
  abandon_at: number;
  created_at: number;
  updated_at: number;
}

export interface Deleted {
  object: string;
  id: string;
  deleted: true;
}

export type WebhookEventType =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'session.created'
  | 'session.ended'
  | 'session.revoked'
  | 'passkey.created'
  | 'passkey.deleted';

export interface WebhookEndpoint {
  object: 'webhook_endpoint';
  id: string;
  url: string;
  description: string;
  /** Empty: every event. */
  event_types: WebhookEventType[];
  /** Only in the answer to `create`; afterwards from `getSecret`. */
  secret?: string;
  created_at: number;
  updated_at: number;
}

export interface WebhookDelivery {
  object: 'webhook_delivery';
  id: string;
  endpoint_id: string;
  /** The `webhook-id` the receiver saw; the same on every attempt of one message. */
  message_id: string;
  event_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  created_at: number;
}

export interface ClientOptions {
  /** `sk_test_…` or `sk_live_…`. */
  secretKey: string;
  /** Latchkey's public URL, e.g. `https://auth.example.com` (the API is under `/v1`). */
  apiUrl: string;
  /** Another fetch (tests, proxies). */
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

export function createLatchkeyClient(options: ClientOptions) {
  if (!/^sk_(test|live)_/.test(options.secretKey ?? '')) {
    throw new Error('createLatchkeyClient: secretKey must be a secret key (sk_test_… or sk_live_…), not a publishable key.');
  }
  const base = new URL('/v1/', options.apiUrl);
  const doFetch = options.fetch ?? fetch;

  async function request<T>(method: string, path: string, o: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const res = await doFetch(url, {
      method,
      headers: {
        authorization: `Bearer ${options.secretKey}`,
        accept: 'application/json',
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (!res.ok) throw errorFromBody(res.status, parsed);
    return parsed as T;
  }
  const id = (value: string) => encodeURIComponent(value);

  return {
    users: {
      list: (params: PageParams & { query?: string } = {}) => request<Page<User>>('GET', '/users', { query: { ...params } }),
      get: (userId: string) => request<User>('GET', `/users/${id(userId)}`),
      create: (params: { username?: string; email_address?: string; public_metadata?: Record<string, unknown>; private_metadata?: Record<string, unknown> }) =>
        request<User>('POST', '/users', { body: params }),
      update: (
        userId: string,
        params: { username?: string | null; email_address?: string | null; public_metadata?: Record<string, unknown>; private_metadata?: Record<string, unknown> },
      ) => request<User>('PATCH', `/users/${id(userId)}`, { body: params }),
      delete: (userId: string) => request<Deleted>('DELETE', `/users/${id(userId)}`),
      ban: (userId: string) => request<User>('POST', `/users/${id(userId)}/ban`),
      unban: (userId: string) => request<User>('POST', `/users/${id(userId)}/unban`),
    },
    passkeys: {
      list: (userId: string) => request<{ data: Passkey[]; total_count: number }>('GET', `/users/${id(userId)}/passkeys`),
      delete: (userId: string, passkeyId: string) => request<Deleted>('DELETE', `/users/${id(userId)}/passkeys/${id(passkeyId)}`),
    },
    sessions: {
      list: (params: PageParams & { user_id?: string; client_id?: string; status?: SessionStatus } = {}) =>
        request<Page<Session>>('GET', '/sessions', { query: { ...params } }),
      get: (sessionId: string) => request<Session>('GET', `/sessions/${id(sessionId)}`),
      revoke: (sessionId: string) => request<Session>('POST', `/sessions/${id(sessionId)}/revoke`),
      /** A session token for server-side tests. */
      createToken: (sessionId: string) => request<{ object: 'token'; jwt: string }>('POST', `/sessions/${id(sessionId)}/tokens`),
    },
    webhooks: {
      createEndpoint: (params: { url: string; event_types?: WebhookEventType[]; description?: string }) =>
        request<WebhookEndpoint & { secret: string }>('POST', '/webhook_endpoints', { body: params }),
      listEndpoints: () => request<Page<WebhookEndpoint>>('GET', '/webhook_endpoints'),
      getEndpoint: (endpointId: string) => request<WebhookEndpoint>('GET', `/webhook_endpoints/${id(endpointId)}`),
      getSecret: (endpointId: string) => request<{ object: 'webhook_endpoint_secret'; id: string; secret: string }>('GET', `/webhook_endpoints/${id(endpointId)}/secret`),
      deleteEndpoint: (endpointId: string) => request<Deleted>('DELETE', `/webhook_endpoints/${id(endpointId)}`),
      listDeliveries: (endpointId: string, params: PageParams = {}) =>
        request<Page<WebhookDelivery>>('GET', `/webhook_endpoints/${id(endpointId)}/deliveries`, { query: { ...params } }),
      /** Queues a `webhook.test` event to this endpoint; answers its message id (`webhook-id`). */
      sendTestEvent: (endpointId: string) =>
        request<{ object: 'webhook_message'; id: string; event_type: 'webhook.test' }>('POST', `/webhook_endpoints/${id(endpointId)}/test`),
    },
  };
}

export type LatchkeyClient = ReturnType<typeof createLatchkeyClient>;
