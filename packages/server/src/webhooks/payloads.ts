/**
 * What an event's `data` holds: the resource as the backend API shows it (Clerk's shapes, snake_case,
 * Unix-millisecond times), taken inside the change's transaction so it is the state the event reports.
 * Pure functions of rows; no I/O.
 */
import type { IdentifierRow, PasskeyRow, SessionRow, UserRow } from '../store/schema.js';

export function userData(user: UserRow, identifiers: IdentifierRow[]) {
  const emails = identifiers.filter((i) => i.type === 'email_address');
  return {
    object: 'user',
    id: user.id,
    username: identifiers.find((i) => i.type === 'username')?.value ?? null,
    primary_email_address_id: emails[0]?.id ?? null,
    email_addresses: emails.map((e) => ({ object: 'email_address', id: e.id, email_address: e.value })),
    last_sign_in_at: user.last_sign_in_at,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

/** `user.deleted` carries only the id, as Clerk's does: the user is gone. */
export function deletedUserData(userId: string) {
  return { object: 'user', id: userId, deleted: true };
}

export function sessionData(s: SessionRow) {
  return {
    object: 'session',
    id: s.id,
    user_id: s.user_id,
    client_id: s.client_id,
    status: s.status,
    last_active_at: s.last_active_at,
    expire_at: s.expire_at,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function passkeyData(p: PasskeyRow) {
  return {
    object: 'passkey',
    id: p.id,
    user_id: p.user_id,
    name: p.name,
    provider_name: p.provider_name,
    aaguid: p.aaguid,
    backed_up: p.backup_state === 1,
    last_used_at: p.last_used_at,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function deletedPasskeyData(p: Pick<PasskeyRow, 'id' | 'user_id'>) {
  return { object: 'passkey', id: p.id, user_id: p.user_id, deleted: true };
}
