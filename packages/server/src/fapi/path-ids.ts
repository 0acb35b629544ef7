/**
 * The ids in frontend API paths (and `_clerk_session_id`), checked by form where the request is
 * parsed (fapi/ids.ts): a malformed one answers the same 404 an unknown one would, before any query.
 */
import type { Context } from 'hono';
import { fail } from '../errors/index.js';
import { notRegistered } from '../passkeys/flows.js';
import { requireIdOf } from './ids.js';

const notFound = (subject: string) => () => fail('resource_not_found', { subject });

export const signInIdOf = (c: Context) => requireIdOf('sia', c.req.param('id'), notFound('sign-in'));
export const signUpIdOf = (c: Context) => requireIdOf('sua', c.req.param('id'), notFound('sign-up'));
export const passkeyIdOf = (c: Context) => requireIdOf('pk', c.req.param('id'), notRegistered);
export const sessionIdOf = (c: Context) => requireIdOf('sess', c.req.param('sid'), notFound('session'));
/** `_clerk_session_id`, when given: which of the client's sessions acts in a `/v1/me` call. */
export const actingSessionIdOf = (c: Context): string | undefined => {
  const value = c.req.query('_clerk_session_id');
  return value ? requireIdOf('sess', value, notFound('session')) : undefined;
};
