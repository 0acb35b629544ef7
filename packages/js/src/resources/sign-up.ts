import type { Core } from '../core.js';
import { LatchkeyRuntimeError } from '../errors.js';
import { createPasskeyCredential } from '../webauthn/ceremony.js';
import { credentialToJSON } from '../webauthn/credential.js';
import { seg } from './convert.js';
import type {
  AttemptSignUpVerificationParams,
  PrepareSignUpVerificationParams,
  SignUpCreateParams,
  SignUpResource,
  SignUpStatus,
  SignUpVerificationResource,
  SignUpVerificationsResource,
} from './types.js';
import { verificationFromJSON } from './verification.js';
import type { SignUpJSON, VerificationJSON } from './wire.js';

function signUpVerificationFromJSON(json: VerificationJSON | null | undefined): SignUpVerificationResource {
  return {
    ...verificationFromJSON(json),
    nextAction: json?.next_action ?? '',
    supportedStrategies: json?.supported_strategies ?? [],
  };
}

/** The browser's current sign-up attempt. Methods update this object in place and return it. */
export class SignUp implements SignUpResource {
  id!: string | undefined;
  status!: SignUpStatus | null;
  username!: string | null;
  emailAddress!: string | null;
  verifications!: SignUpVerificationsResource;
  unverifiedFields!: string[];
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
    this.verifications = {
      passkey: verificationFromJSON(json?.verifications?.passkey),
      emailAddress: signUpVerificationFromJSON(json?.verifications?.email_address),
    };
    this.unverifiedFields = [...(json?.unverified_fields ?? [])];
    this.createdSessionId = json?.created_session_id ?? null;
    this.createdUserId = json?.created_user_id ?? null;
    return this;
  }

  /** The instance requires this sign-up's email address verified (by code) before its passkey. */
  get needsEmailVerification(): boolean {
    return this.status !== 'complete' && this.unverifiedFields.includes('email_address') && this.verifications.emailAddress.status !== 'verified';
  }

  async #post(path: string, body: Record<string, unknown>): Promise<this> {
    return this.fromJSON((await this.#core.request({ path, method: 'POST', body })) as SignUpJSON);
  }

  create(params: SignUpCreateParams): Promise<SignUpResource> {
    return this.#post('/v1/client/sign_ups', { username: params.username, emailAddress: params.emailAddress });
  }

  /**
   * `passkey`: asks for creation options; they arrive in `verifications.passkey.nonce`.
   * `email_code`: emails a six-digit code to the sign-up's address (`verifications.emailAddress`).
   */
  prepareVerification(params: PrepareSignUpVerificationParams): Promise<SignUpResource> {
    return this.#post(`/v1/client/sign_ups/${seg(this.id)}/prepare_verification`, { strategy: params.strategy });
  }

  preparePasskeyVerification(): Promise<SignUpResource> {
    return this.prepareVerification({ strategy: 'passkey' });
  }

  /** `passkey` with the new credential, or `email_code` with the code from the email. */
  attemptVerification(params: AttemptSignUpVerificationParams): Promise<SignUpResource> {
    const path = `/v1/client/sign_ups/${seg(this.id)}/attempt_verification`;
    if (params.strategy === 'email_code') return this.#post(path, { strategy: 'email_code', code: params.code });
    return this.#post(path, {
      strategy: params.strategy,
      publicKeyCredential: JSON.stringify(credentialToJSON(params.publicKeyCredential)),
    });
  }

  /**
   * Clerk's name: emails the verification code (resend: one per sign-up every 30 seconds, else
   * `429 too_many_requests`).
   * @example
   * await signUp.create({ emailAddress })
   * if (signUp.needsEmailVerification) await signUp.prepareEmailAddressVerification({ strategy: 'email_code' })
   */
  prepareEmailAddressVerification(params: { strategy?: 'email_code' } = {}): Promise<SignUpResource> {
    return this.prepareVerification({ strategy: params.strategy ?? 'email_code' });
  }

  /** Clerk's name: checks the six-digit code; on success `verifications.emailAddress.status === 'verified'`. */
  attemptEmailAddressVerification(params: { code: string }): Promise<SignUpResource> {
    return this.attemptVerification({ strategy: 'email_code', code: params.code });
  }

  /** The passkey step on the current sign-up: prepare, the browser's prompt, attempt. */
  async completeWithPasskey(): Promise<SignUpResource> {
    if (!this.id) {
      throw new LatchkeyRuntimeError('Call signUp.create() first, or use signUp.createWithPasskey(params).', { code: 'invalid_usage' });
    }
    this.#assertEmailVerified();
    await this.prepareVerification({ strategy: 'passkey' });
    const credential = await createPasskeyCredential(this.verifications.passkey.nonce);
    return this.attemptVerification({ strategy: 'passkey', publicKeyCredential: credential });
  }

  /**
   * Passkey-first sign-up in one call; on success `status === 'complete'` and
   * `createdSessionId` is ready for `setActive`. Where the instance requires email verification,
   * it stops after `create` with `email_address_unverified`: verify the code, then `completeWithPasskey()`.
   */
  async createWithPasskey(params: SignUpCreateParams = {}): Promise<SignUpResource> {
    await this.create(params);
    return this.completeWithPasskey();
  }

  #assertEmailVerified(): void {
    if (this.needsEmailVerification) {
      throw new LatchkeyRuntimeError(
        'This sign-up must verify its email address first: prepareEmailAddressVerification(), attemptEmailAddressVerification({ code }), then completeWithPasskey().',
        { code: 'email_address_unverified' },
      );
    }
  }
}
