/**
 * The two things the HTTP layer needs from the runtime that serves it, behind one interface so
 * routes and middleware stay Web-standard. `createApp(deps, runtime)` receives it and puts it on
 * every request's context; the default (`fetchRuntime`) needs nothing but the Fetch API, which is
 * what `app.request()` in tests and non-Node runtimes give. Node's faster versions live in
 * adapters/node/.
 */
import type { Context } from 'hono';
import { fail, type LatchkeyError } from '../errors/index.js';

export interface RuntimeAdapter {
  /** The body as UTF-8 text; throws 413 `request_body_too_large` past `limit` bytes, however it is sent. */
  readBody(c: Context, limit: number): Promise<string>;
  /** The address of the peer that opened the connection, or `'unknown'` when the runtime does not say. */
  clientAddress(c: Context): string;
}

declare module 'hono' {
  interface ContextVariableMap {
    runtime: RuntimeAdapter;
  }
}

export function bodyTooLarge(limit: number): LatchkeyError {
  return fail('request_body_too_large', { why: `Request bodies are limited to ${limit} bytes.` });
}

/** Fetch API only: the body through `Request.text()`, no connection information. */
export const fetchRuntime: RuntimeAdapter = {
  async readBody(c, limit) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > limit) throw bodyTooLarge(limit);
    return text;
  },
  clientAddress: () => 'unknown',
};

/** The runtime of this request; `fetchRuntime` on an app that did not set one. */
export function runtimeOf(c: Context): RuntimeAdapter {
  return c.get('runtime') ?? fetchRuntime;
}
