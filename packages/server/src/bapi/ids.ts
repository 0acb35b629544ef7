/**
 * Ids in backend API paths and filters, checked by form before any query, as the frontend API
 * does (fapi/ids.ts): a path id that cannot name anything we made answers the 404 an unknown one
 * would, and hostile bytes (NUL, surrogates, long text) never reach SQL — PostgreSQL refuses a
 * NUL in text with an error, which would otherwise surface as a 500.
 */
import { z } from 'zod';
import { fail } from '../errors/index.js';
import { isIdOf } from '../fapi/ids.js';
import type { IdPrefix } from '../util/ids.js';

/** Each path parameter that holds an id: the prefix ids of its kind carry, and what the 404 names. */
const PATH_IDS: Record<string, [IdPrefix, string]> = {
  user_id: ['user', 'user'],
  session_id: ['sess', 'session'],
  passkey_id: ['pk', 'passkey'],
  endpoint_id: ['ep', 'webhook endpoint'],
};

/** Throws `resource_not_found` for a path id that does not have its kind's form. */
export function checkPathIds(params: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(params)) {
    const kind = PATH_IDS[name];
    if (kind && !isIdOf(kind[0], value)) throw fail('resource_not_found', { subject: kind[1] });
  }
}

/** A query or body parameter holding an id of one kind (`form_param_format_invalid` otherwise). */
export const idParam = (prefix: IdPrefix) => z.string().refine((v) => isIdOf(prefix, v), `must be an id starting with ${prefix}_`);

/** `starting_after` of a page of `prefix` ids. */
export const cursorParam = (prefix: IdPrefix) => idParam(prefix).describe(`The id of the last row of the previous page (${prefix}_…)`);
