import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The database or a transaction on it: every repository function takes either. */
export type Db = Kysely<Database>;
