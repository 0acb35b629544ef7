import type { Core } from '../core.js';
import type { DeletedObjectResource, PasskeyResource, VerificationResource } from './types.js';
import { seg, toDate, toDateOrEpoch } from './convert.js';
import { verificationFromJSON } from './verification.js';
import type { DeletedObjectJSON, PasskeyJSON } from './wire.js';

export class Passkey implements PasskeyResource {
  id!: string;
  name!: string | null;
  providerName!: string | null;
  verification!: VerificationResource | null;
  lastUsedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
  readonly #core: Core;

  constructor(json: PasskeyJSON, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: PasskeyJSON): this {
    this.id = json.id;
    this.name = json.name ?? null;
    this.providerName = json.provider_name ?? null;
    this.verification = json.verification ? verificationFromJSON(json.verification) : null;
    this.lastUsedAt = toDate(json.last_used_at);
    this.createdAt = toDateOrEpoch(json.created_at);
    this.updatedAt = toDateOrEpoch(json.updated_at);
    return this;
  }

  /** Renames the passkey; updates this object in place and returns it. */
  async update(params: { name?: string }): Promise<PasskeyResource> {
    const json = (await this.#core.request({ path: `/v1/me/passkeys/${seg(this.id)}`, method: 'PATCH', body: { name: params.name } })) as PasskeyJSON;
    return this.fromJSON(json);
  }

  async delete(): Promise<DeletedObjectResource> {
    const json = (await this.#core.request({ path: `/v1/me/passkeys/${seg(this.id)}`, method: 'DELETE' })) as DeletedObjectJSON;
    return { object: json.object, id: json.id ?? this.id, deleted: json.deleted };
  }
}

