/**
 * Per-request state of the frontend API: who the caller is (the `__client` cookie, resolved by
 * the client-cookie middleware), which origin asked, and the `{ response, client }` envelope.
 */
import type { Context } from 'hono';
import type { Caller } from '../clients/index.js';
import type { Answer } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { setClientCookie } from '../middleware/client-cookie/index.js';
import type { ClientRow } from '../clients/snapshot.js';
import { clientIp } from '../middleware/rate-limit/index.js';
import { actingSessionIdOf } from './path-ids.js';
import { clientJson } from './present.js';

export type FapiEnv = {
  Variables: {
    deps: Deps;
    client: ClientRow | null;
    traceId: string;
    /** Set by the tokenAzp middleware (middleware/token-azp). */
    azp?: string | null;
  };
};

export type FapiContext = Context<FapiEnv>;

/** The caller as flows see it: no HTTP, just the client and the headers that matter. */
export function callerOf(c: FapiContext): Caller {
  return { client: c.var.client, origin: c.req.header('origin') ?? null, azp: tokenOrigin(c), userAgent: c.req.header('user-agent'), ip: clientIp(c, c.var.deps.config.trustProxy) };
}

/** The session acting in a `/v1/me` call, if the SDK named one (checked by form: fapi/path-ids.ts). */
export function actingSessionId(c: FapiContext): string | undefined {
  return actingSessionIdOf(c);
}

/** The session token's `azp` for this request: an allowed origin or null (middleware/token-azp). */
export function tokenOrigin(c: FapiContext): string | null {
  return c.var.azp ?? null;
}

/** `{ response, client }` from a flow's answer, writing its new cookie if it has one. */
export function envelope<R>(c: FapiContext, answer: Answer<R>, response: unknown) {
  if (answer.cookie) setClientCookie(c, answer.cookie, c.var.deps.config);
  return c.json({ response, client: answer.snapshot ? clientJson(answer.snapshot) : null }, 200);
}
