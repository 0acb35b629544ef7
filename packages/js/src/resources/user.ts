import type { Core } from '../core.js';
import { createPasskeyCredential, ensureConditionalCreateSupported } from '../webauthn/ceremony.js';
import { credentialToJSON } from '../webauthn/credential.js';
import { seg, toDate, toDateOrEpoch } from './convert.js';
import { Passkey } from './passkey.js';
import { SessionWithActivities } from './session-activity.js';
import type { CreatePasskeyParams, DeletedObjectResource, EmailAddressResource, PasskeyResource, RecoveryCodesResource, SessionWithActivitiesResource, UpdateUserParams, UserResource } from './types.js';
import type { DeletedObjectJSON, EmailAddressJSON, PasskeyJSON, RecoveryCodesJSON, SessionActivityJSON, UserJSON } from './wire.js';

function recoveryCodesFromJSON(json: RecoveryCodesJSON): RecoveryCodesResource {
  return { total: json.total, remaining: json.remaining, createdAt: toDate(json.created_at), codes: json.codes ?? null };
}

function emailFromJSON(json: EmailAddressJSON): EmailAddressResource {
  return { id: json.id, emailAddress: json.email_address, toString: () => json.email_address };
}

export class User implements UserResource {
  id!: string;
  username!: string | null;
  primaryEmailAddressId!: string | null;
  primaryEmailAddress!: EmailAddressResource | null;
  emailAddresses!: EmailAddressResource[];
  passkeys!: PasskeyResource[];
  createdAt!: Date;
  updatedAt!: Date;
  readonly #core: Core;

  constructor(json: UserJSON, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: UserJSON): this {
    this.id = json.id;
    this.username = json.username ?? null;
    this.primaryEmailAddressId = json.primary_email_address_id ?? null;
    this.emailAddresses = (json.email_addresses ?? []).map(emailFromJSON);
    this.primaryEmailAddress = this.emailAddresses.find((e) => e.id === this.primaryEmailAddressId) ?? null;
    this.passkeys = (json.passkeys ?? []).map((p) => new Passkey(p, this.#core));
    this.createdAt = toDateOrEpoch(json.created_at);
    this.updatedAt = toDateOrEpoch(json.updated_at);
    return this;
  }

  /**
   * Registration in three steps: the server issues creation options (an unverified passkey whose
   * nonce holds them), the authenticator makes the credential, the server verifies and names it.
   * `mediation: 'conditional'` is the automatic upgrade: checked before any request (unsupported:
   * `passkey_not_supported`), then announced to the server, which accepts the credential without
   * user presence or verification for this registration only.
   */
  async createPasskey(params: CreatePasskeyParams = {}): Promise<PasskeyResource> {
    const conditional = params.mediation === 'conditional';
    if (conditional) await ensureConditionalCreateSupported();
    const pending = (await this.#core.request({
      path: '/v1/me/passkeys',
      method: 'POST',
      // Only the upgrade sends a body: the ordinary call stays as Clerk's SDK sends it.
      ...(conditional ? { body: { mediation: 'conditional' } } : {}),
    })) as PasskeyJSON;
    const credential = await createPasskeyCredential(pending.verification?.nonce, { conditional });
    const verified = (await this.#core.request({
      path: `/v1/me/passkeys/${seg(pending.id)}/attempt_verification`,
      method: 'POST',
      body: { strategy: 'passkey', publicKeyCredential: JSON.stringify(credentialToJSON(credential)) },
    })) as PasskeyJSON;
    return new Passkey(verified, this.#core);
  }

  async reload(): Promise<UserResource> {
    return this.fromJSON((await this.#core.request({ path: '/v1/me' })) as UserJSON);
  }

  async update(params: UpdateUserParams): Promise<UserResource> {
    const body = { username: params.username, emailAddress: params.emailAddress };
    return this.fromJSON((await this.#core.request({ path: '/v1/me', method: 'PATCH', body })) as UserJSON);
  }

  async delete(): Promise<DeletedObjectResource> {
    const json = (await this.#core.request({ path: '/v1/me', method: 'DELETE' })) as DeletedObjectJSON;
    return { object: json.object, id: json.id ?? this.id, deleted: json.deleted };
  }

  async createRecoveryCodes(): Promise<RecoveryCodesResource> {
    return recoveryCodesFromJSON((await this.#core.request({ path: '/v1/me/recovery_codes', method: 'POST' })) as RecoveryCodesJSON);
  }

  async getRecoveryCodes(): Promise<RecoveryCodesResource> {
    return recoveryCodesFromJSON((await this.#core.request({ path: '/v1/me/recovery_codes' })) as RecoveryCodesJSON);
  }

  async getSessions(): Promise<SessionWithActivitiesResource[]> {
    const list = (await this.#core.request({ path: '/v1/me/sessions/active' })) as SessionActivityJSON[] | null;
    return (list ?? []).map((s) => new SessionWithActivities(s, this.#core));
  }
}
