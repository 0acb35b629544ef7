import { apiErrorFromResponse, LatchkeyRuntimeError } from '../errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  path: string;
  method?: HttpMethod;
  /** Form fields; camelCase keys become snake_case, objects become JSON strings, null/undefined are left out. */
  body?: Record<string, unknown>;
  /** Active session id; sent as `_clerk_session_id` on `/v1/me/...` calls only. */
  sessionId?: string | null;
}

export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function encodeForm(body: Record<string, unknown> = {}): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    form.append(toSnakeCase(key), typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

/**
 * Builds the fetch arguments. Only GET and form POST leave the browser: PATCH/DELETE ride as
 * `POST ?_method=…` because a form POST is a CORS "simple request" and needs no preflight.
 */
export function buildRequest(baseUrl: string, req: ApiRequest): { url: string; init: RequestInit } {
  const url = new URL(baseUrl);
  url.pathname = url.pathname.replace(/\/+$/, '') + req.path;
  const method = req.method ?? 'GET';
  if (method === 'PATCH' || method === 'DELETE') url.searchParams.set('_method', method);
  if (req.sessionId && /^\/v1\/me(\/|$)/.test(req.path)) url.searchParams.set('_clerk_session_id', req.sessionId);

  // credentials: 'include' sends the HttpOnly __client cookie that lives on the API host.
  const init: RequestInit = { method: method === 'GET' ? 'GET' : 'POST', credentials: 'include', headers: {} };
  if (method !== 'GET') {
    init.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    init.body = encodeForm(req.body).toString();
  }
  return { url: url.toString(), init };
}

/** Reads a fetch Response: the parsed JSON on success, a LatchkeyAPIResponseError otherwise. */
export async function readResponse(res: Response): Promise<unknown> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw apiErrorFromResponse(res.status, body, res.headers.get('Retry-After'));
  return body;
}

/** Splits a `{ response, client }` envelope. Bare answers (environment, tokens) pass through whole. */
export function unwrap(body: unknown): { response: unknown; hasClient: boolean; client: unknown } {
  if (typeof body === 'object' && body !== null && 'response' in body) {
    const env = body as { response: unknown; client?: unknown };
    return { response: env.response, hasClient: 'client' in env, client: env.client ?? null };
  }
  return { response: body, hasClient: false, client: null };
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Sends one request; network failures become a runtime error with a stable code. */
export async function send(fetchImpl: FetchLike, baseUrl: string, req: ApiRequest): Promise<unknown> {
  const { url, init } = buildRequest(baseUrl, req);
  let res: Response;
  try {
    res = await fetchImpl(url, init);
  } catch (cause) {
    throw new LatchkeyRuntimeError(`Could not reach the Latchkey server at ${baseUrl}.`, { code: 'network_error', cause });
  }
  return readResponse(res);
}
