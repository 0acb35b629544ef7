/** Resource shapes of the backend API (bapi/schemas.ts), built from what a flow returned: no I/O. */
import type { SessionView } from '../admin/sessions.js';
import type { UserBundle } from '../clients/snapshot.js';
import type { InstanceSettings } from '../settings/index.js';
import type { AuditEventRow, PasskeyRow } from '../store/schema.js';
import { snakeKeys } from '../util/case.js';

const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

export function passkeyJson(p: PasskeyRow) {
  return {
    object: 'passkey' as const,
    id: p.id,
    name: p.name,
    provider_name: p.provider_name,
    aaguid: p.aaguid,
    device_type: p.backup_eligible === 1 ? ('multi_device' as const) : ('single_device' as const),
    backed_up: p.backup_state === 1,
    transports: p.transports ? (JSON.parse(p.transports) as string[]) : [],
    last_used_at: p.last_used_at,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function userJson(b: UserBundle) {
  const emails = b.identifiers.filter((i) => i.type === 'email_address');
  return {
    object: 'user' as const,
    id: b.user.id,
    username: b.identifiers.find((i) => i.type === 'username')?.value ?? null,
    primary_email_address_id: emails[0]?.id ?? null,
    email_addresses: emails.map((e) => ({ object: 'email_address' as const, id: e.id, email_address: e.value })),
    passkeys: b.passkeys.map(passkeyJson),
    public_metadata: json(b.user.public_metadata),
    private_metadata: json(b.user.private_metadata),
    banned: b.user.banned === 1,
    locked: false,
    last_sign_in_at: b.user.last_sign_in_at,
    created_at: b.user.created_at,
    updated_at: b.user.updated_at,
  };
}

export function sessionJson(s: SessionView) {
  return {
    object: 'session' as const,
    id: s.id,
    user_id: s.user_id,
    client_id: s.client_id,
    status: s.status,
    last_active_at: s.last_active_at,
    expire_at: s.expire_at,
    abandon_at: s.abandon_at,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function auditEventJson(e: AuditEventRow) {
  return {
    object: 'audit_event' as const,
    id: String(e.id),
    type: e.type,
    user_id: e.user_id,
    client_id: e.client_id,
    actor: { type: e.actor_type, id: e.actor_id },
    ip: e.ip,
    user_agent: e.user_agent,
    data: json(e.data),
    created_at: e.created_at,
  };
}

export function settingsJson(s: InstanceSettings) {
  return { object: 'instance_settings' as const, ...snakeKeys(s) };
}

export const deletedJson = (object: string, id: string) => ({ object, id, deleted: true as const });

export function listJson<T, J>(page: { data: T[]; has_more: boolean; total_count: number }, each: (t: T) => J) {
  return { data: page.data.map(each), has_more: page.has_more, total_count: page.total_count };
}
