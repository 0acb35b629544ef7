/**
 * Resource ids as `util/ids.ts` mints them: `<prefix>_` and 22 characters — today a time part
 * and 72 random bits, earlier 128 random bits; both are base64url, and ids minted either way stay
 * in the database, so the check is the shared form, not the newer layout. A path id or `_clerk_session_id` of any other form cannot name anything we made, so the request
 * is answered 404 where it is parsed, without a query — hostile bytes (NUL, surrogates, megabytes
 * of text) never reach SQL, and a malformed id costs no database round trip.
 */
import type { IdPrefix } from '../util/ids.js';

const ID_BODY = /^[A-Za-z0-9_-]{22}$/;

/** Does `value` have the form of an id minted with `prefix`? */
export function isIdOf(prefix: IdPrefix, value: string | undefined | null): value is string {
  if (typeof value !== 'string' || value.length !== prefix.length + 23) return false;
  return value.startsWith(`${prefix}_`) && ID_BODY.test(value.slice(prefix.length + 1));
}

/** `value` when it has the form of a `prefix` id; otherwise throws what `notFound` makes. */
export function requireIdOf(prefix: IdPrefix, value: string | undefined | null, notFound: () => Error): string {
  if (!isIdOf(prefix, value)) throw notFound();
  return value;
}
