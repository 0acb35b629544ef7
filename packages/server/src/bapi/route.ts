/**
 * A backend API route is data: method, path, its zod schemas (path, query, body) and a handler
 * that receives the parsed input. The app registers handlers from this table and the OpenAPI
 * document is generated from the same table, so the two cannot drift apart.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AuditContext } from '../audit/index.js';
import type { KeyActor } from '../secret-keys/index.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import { parseParams, readParams } from '../fapi/params.js';
import { checkPathIds } from './ids.js';

export type BapiEnv = { Variables: { deps: Deps; traceId: string; actor: KeyActor; audit: AuditContext } };
export type BapiContext = Context<BapiEnv>;

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface BapiRoute<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject, B extends z.ZodObject = z.ZodObject> {
  method: Method;
  /** Hono syntax (`/users/:user_id`); the OpenAPI document writes `{user_id}`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** What a 200 answers, for the document. */
  response: z.ZodType;
  handler: (c: BapiContext, input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> }) => Promise<unknown>;
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function route<P extends z.ZodObject = z.ZodObject<{}>, Q extends z.ZodObject = z.ZodObject<{}>, B extends z.ZodObject = z.ZodObject<{}>>(
  r: BapiRoute<P, Q, B>,
): BapiRoute {
  return r as unknown as BapiRoute;
}

/** Parses a request's path, query and body by the route's schemas (422 naming the parameter). */
export async function parseInput(c: BapiContext, r: BapiRoute) {
  checkPathIds(c.req.param());
  const params = r.params ? parseParams(r.params, c.req.param() as Record<string, unknown>) : {};
  const query = r.query ? parseParams(r.query, c.req.query()) : {};
  const body = r.body ? parseBody(r.body, await readParams(c)) : {};
  return { params, query, body };
}

/** As parseParams, and a key a strict schema does not know is named as the parameter at fault. */
function parseBody(schema: z.ZodObject, raw: Record<string, unknown>) {
  const result = schema.safeParse(raw);
  const issue = result.success ? undefined : result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw fail('form_param_format_invalid', { param: issue.keys[0]!, why: `${issue.keys[0]} is not a known field.` });
  }
  return parseParams(schema, raw);
}
