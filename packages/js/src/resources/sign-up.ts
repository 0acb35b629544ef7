import type { Core } from '../core.js';
import { createPasskeyCredential } from '../webauthn/ceremony.js';
import { credentialToJSON } from '../webauthn/credential.js';
import { seg } from './convert.js';
import type { PublicKeyCredentialInput, SignUpCreateParams, SignUpResource, SignUpStatus, SignUpVerificationsResource } from './types.js';
import { verificationFromJSON } from './verification.js';
import type { SignUpJSON } from './wire.js';

/** The browser's current sign-up attempt. Methods update this object in place and return it. */
export class SignUp implements SignUpResource {
  id!: string | undefined;
  status!: SignUpStatus | null;
  username!: string | null;
  emailAddress!: string | null;
  verifications!: SignUpVerificationsResource;
  createdSessionId!: string | null;
  createdUserId!: string | null;
  readonly #core: Core;

  constructor(json: SignUpJSON | null, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: SignUpJSON | null): this {
    this.id = json?.id;
    this.status = (json?.status ?? null) as SignUpStatus | null;
    this.username = json?.username ?? null;
    this.emailAddress = json?.email_address ?? null;
    this.verifications = { passkey: verificationFromJSON(json?.verifications?.passkey) };
    this.createdSessionId = json?.created_session_id ?? null;
    this.createdUserId = json?.created_user_id ?? null;
    return this;
  }

  async #post(path: string, body: Record<string, unknown>): Promise<this> {
    return this.fromJSON((await this.#core.request({ path, method: 'POST', body })) as SignUpJSON);
  }

  create(params: SignUpCreateParams): Promise<SignUpResource> {
    return this.#post('/v1/client/sign_ups', { username: params.username, emailAddress: params.emailAddress });
  }

  /** Asks for creation options; they arrive in `verifications.passkey.nonce`. */
  prepareVerification(params: { strategy: 'passkey' }): Promise<SignUpResource> {
    return this.#post(`/v1/client/sign_ups/${seg(this.id)}/prepare_verification`, { strategy: params.strategy });
  }

  preparePasskeyVerification(): Promise<SignUpResource> {
    return this.prepareVerification({ strategy: 'passkey' });
  }

  attemptVerification(params: { strategy: 'passkey'; publicKeyCredential: PublicKeyCredentialInput }): Promise<SignUpResource> {
    return this.#post(`/v1/client/sign_ups/${seg(this.id)}/attempt_verification`, {
      strategy: params.strategy,
      publicKeyCredential: JSON.stringify(credentialToJSON(params.publicKeyCredential)),
    });
  }

  /**
   * Passkey-first sign-up in one call; on success `status === 'complete'` and
   * `createdSessionId` is ready for `setActive`.
   */
  async createWithPasskey(params: SignUpCreateParams = {}): Promise<SignUpResource> {
    await this.create(params);
    await this.prepareVerification({ strategy: 'passkey' });
    const credential = await createPasskeyCredential(this.verifications.passkey.nonce);
    return this.attemptVerification({ strategy: 'passkey', publicKeyCredential: credential });
  }
}
