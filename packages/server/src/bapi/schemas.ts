/**
 * The backend API's request and response shapes as zod schemas: requests are parsed by them and
 * the OpenAPI document is generated from all of them. Field names follow Clerk's backend API.
 */
import { z } from 'zod';
import { AUDIT_TYPES } from '../audit/index.js';
import { settingsSchema } from '../settings/index.js';
import { toSnake } from '../util/case.js';
import { str } from '../fapi/params.js';
import { cursorParam, idParam } from './ids.js';

const ms = z.number().int().describe('Unix milliseconds');
const metadata = z.record(z.string(), z.unknown());

// --- Requests ---------------------------------------------------------------------------------

/** `limit` 1–500 (default 10, as Clerk) and `starting_after`: the id of the last row of the previous page. */
const limitParam = z.coerce.number().int().min(1).max(500).default(10);

// Path ids are checked by form before parsing (bapi/ids.ts: a malformed one answers 404).
export const userIdParams = z.object({ user_id: z.string() });
export const sessionIdParams = z.object({ session_id: z.string() });
export const passkeyParams = z.object({ user_id: z.string(), passkey_id: z.string() });

export const listUsersQuery = z.object({
  limit: limitParam,
  starting_after: cursorParam('user').optional(),
  query: str(320).min(1).optional().describe('Part of a username or email address, case-insensitive'),
});

export const createUserBody = z.object({
  username: str(64).optional(),
  email_address: str(254).optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
});

export const updateUserBody = z.object({
  username: str(64).nullable().optional(),
  email_address: str(254).nullable().optional(),
  public_metadata: metadata.optional(),
  private_metadata: metadata.optional(),
});

export const SESSION_STATUSES = ['active', 'ended', 'revoked', 'expired'] as const;
export const listSessionsQuery = z.object({
  limit: limitParam,
  starting_after: cursorParam('sess').optional(),
  user_id: idParam('user').optional(),
  client_id: idParam('client').optional(),
  status: z.enum(SESSION_STATUSES).optional(),
});

export const listAuditQuery = z.object({
  limit: limitParam,
  starting_after: z.string().regex(/^\d{1,18}$/, 'must be the id of an audit event').optional(),
  user_id: idParam('user').optional(),
  type: z.enum(AUDIT_TYPES).optional(),
  since: z.coerce.number().int().min(0).optional().describe('Events at or after this time (Unix ms)'),
  until: z.coerce.number().int().min(0).optional().describe('Events before this time (Unix ms)'),
  order: z.enum(['asc', 'desc']).optional().describe('asc (default): in the order they happened; desc: newest first'),
});

/** Instance settings with snake_case keys; every key optional in a PATCH, unknown keys refused. */
const settingsShape = Object.fromEntries(Object.entries(settingsSchema.shape).map(([k, v]) => [toSnake(k), v]));
export const settingsPatchBody = z.strictObject(settingsShape).partial();

// --- Responses --------------------------------------------------------------------------------

export const passkeyResponse = z.object({
  object: z.literal('passkey'),
  id: z.string(),
  name: z.string(),
  provider_name: z.string(),
  aaguid: z.string(),
  device_type: z.enum(['multi_device', 'single_device']).describe('multi_device: synced (backup eligible); single_device: bound to one authenticator'),
  backed_up: z.boolean(),
  transports: z.array(z.string()),
  last_used_at: ms.nullable(),
  created_at: ms,
  updated_at: ms,
});

export const userResponse = z.object({
  object: z.literal('user'),
  id: z.string(),
  username: z.string().nullable(),
  primary_email_address_id: z.string().nullable(),
  email_addresses: z.array(z.object({ object: z.literal('email_address'), id: z.string(), email_address: z.string() })),
  passkeys: z.array(passkeyResponse),
  public_metadata: metadata,
  private_metadata: metadata,
  banned: z.boolean(),
  locked: z.boolean(),
  last_sign_in_at: ms.nullable(),
  created_at: ms,
  updated_at: ms,
});

export const sessionResponse = z.object({
  object: z.literal('session'),
  id: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  status: z.enum(SESSION_STATUSES),
  last_active_at: ms,
  expire_at: ms,
  abandon_at: ms,
  created_at: ms,
  updated_at: ms,
});

export const auditEventResponse = z.object({
  object: z.literal('audit_event'),
  id: z.string(),
  type: z.enum(AUDIT_TYPES).or(z.string()),
  user_id: z.string().nullable(),
  client_id: z.string().nullable(),
  actor: z.object({ type: z.enum(['user', 'secret_key', 'admin', 'system']).nullable(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  data: metadata,
  created_at: ms,
});

export const settingsResponse = z.object({ object: z.literal('instance_settings'), ...settingsShape });
export const tokenResponse = z.object({ object: z.literal('token'), jwt: z.string() });
export const deletedResponse = z.object({ object: z.string(), id: z.string(), deleted: z.literal(true) });
export const jwksResponse = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean(), total_count: z.number().int() });
}
