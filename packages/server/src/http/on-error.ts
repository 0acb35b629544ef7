/**
 * The one place a thrown error becomes an answer, shared by the frontend and backend APIs: a
 * LatchkeyError answers its catalogue status and code; a client-side HTTPException (Hono's own,
 * e.g. a malformed body) is `request_body_invalid`; anything else is logged with the trace id
 * and answered as `internal_error` without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from '../deps.js';
import { LatchkeyError, toErrorBody } from '../errors/index.js';
import { isApiPath, unknownApiPath } from '../fapi/unknown-path.js';

// Either API's context: both set `traceId` first thing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctx = Context<any>;

export function errorResponse(err: Error, c: Ctx, deps: Deps): Response {
  let e: LatchkeyError;
  if (err instanceof LatchkeyError) e = err;
  else if (err instanceof HTTPException && err.status < 500) e = new LatchkeyError('request_body_invalid', { why: err.message || 'Bad request.' });
  else {
    deps.log('error', 'unhandled error', { trace_id: c.var.traceId, error: err instanceof Error ? err.stack : String(err) });
    e = new LatchkeyError('internal_error', { why: `An internal error occurred; trace id ${c.var.traceId}.` });
  }
  const headers: Record<string, string> = {};
  if (e.meta.retry_after) headers['Retry-After'] = String(e.meta.retry_after);
  return c.json(toErrorBody(e, (c.var.traceId as string | undefined) ?? ''), e.status as 400, headers);
}

/** An unknown API path answers the JSON envelope with `resource_not_found`; any other path `not_found`. */
export function notFoundResponse(c: Ctx): Response {
  const e = isApiPath(c.req.path) ? unknownApiPath(c.req.method, c.req.path) : new LatchkeyError('not_found', { why: `No route for ${c.req.method} ${c.req.path}.` });
  return c.json(toErrorBody(e, (c.var.traceId as string | undefined) ?? ''), 404);
}
