/**
 * Request bodies, read with a size limit by the runtime that serves the app (http/runtime.ts):
 * under Node straight from the `IncomingMessage` (adapters/node/), elsewhere through Fetch.
 */
import type { Context } from 'hono';
import { runtimeOf } from '../http/runtime.js';
import { MAX_BODY_BYTES } from '../middleware/body-limit/index.js';

export { MAX_BODY_BYTES };

/** The body as UTF-8 text; 413 `request_body_too_large` past the limit, however it is sent. */
export function readBodyText(c: Context): Promise<string> {
  return runtimeOf(c).readBody(c, MAX_BODY_BYTES);
}
