/**
 * Refuses a request whose declared body is over the limit before anything reads it (413
 * `request_body_too_large`). Bodies without a declared length (chunked) are counted while they
 * are read, by the runtime's `readBody` (http/runtime.ts), against the same limit.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyTooLarge } from '../../http/runtime.js';

/** WebAuthn responses are a few KB; anything near this is not a legitimate request. */
export const MAX_BODY_BYTES = 64 * 1024;

export function bodyLimit(maxBytes: number = MAX_BODY_BYTES): MiddlewareHandler {
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error(`bodyLimit: maxBytes must be a positive integer, got ${maxBytes}`);
  return async function bodyLimit(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) throw bodyTooLarge(maxBytes);
    await next();
  };
}
