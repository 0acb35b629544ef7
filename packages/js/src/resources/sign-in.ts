import type { Core } from '../core.js';
import { LatchkeyRuntimeError } from '../errors.js';
import { getPasskeyCredential } from '../webauthn/ceremony.js';
import { credentialToJSON } from '../webauthn/credential.js';
import { isWebAuthnAutofillSupported, isWebAuthnSupported } from '../webauthn/support.js';
import { seg } from './convert.js';
import type {
  AttemptFirstFactorParams,
  AuthenticateWithPasskeyParams,
  PrepareFirstFactorParams,
  SignInCreateParams,
  SignInFirstFactor,
  SignInResource,
  SignInStatus,
  VerificationResource,
} from './types.js';
import { verificationFromJSON } from './verification.js';
import type { SignInJSON } from './wire.js';

/** The browser's current sign-in attempt. Methods update this object in place and return it. */
export class SignIn implements SignInResource {
  id!: string | undefined;
  status!: SignInStatus | null;
  identifier!: string | null;
  supportedFirstFactors!: SignInFirstFactor[];
  firstFactorVerification!: VerificationResource;
  createdSessionId!: string | null;
  readonly #core: Core;

  constructor(json: SignInJSON | null, core: Core) {
    this.#core = core;
    this.fromJSON(json);
  }

  fromJSON(json: SignInJSON | null): this {
    this.id = json?.id;
    this.status = (json?.status ?? null) as SignInStatus | null;
    this.identifier = json?.identifier ?? null;
    this.supportedFirstFactors = (json?.supported_first_factors ?? []).map((f) => ({
      strategy: f.strategy,
      ...(f.safe_identifier !== undefined ? { safeIdentifier: f.safe_identifier } : {}),
      ...(f.email_address_id !== undefined ? { emailAddressId: f.email_address_id } : {}),
      ...(f.primary !== undefined ? { primary: f.primary } : {}),
    }));
    this.firstFactorVerification = verificationFromJSON(json?.first_factor_verification);
    this.createdSessionId = json?.created_session_id ?? null;
    return this;
  }

  async #post(path: string, body: Record<string, unknown>): Promise<this> {
    return this.fromJSON((await this.#core.request({ path, method: 'POST', body })) as SignInJSON);
  }

  /** Starts a sign-in: with `identifier` (identifier-first) or `strategy: 'passkey'` (discoverable). */
  create(params: SignInCreateParams): Promise<SignInResource> {
    return this.#post('/v1/client/sign_ins', { identifier: params.identifier, strategy: params.strategy });
  }

  /**
   * `passkey`: asks the server for request options listing the identified user's passkeys.
   * `email_code`: emails a six-digit code to the factor's address (see `supportedFirstFactors`).
   * @example
   * const factor = signIn.supportedFirstFactors.find((f) => f.strategy === 'email_code')
   * if (factor) await signIn.prepareFirstFactor({ strategy: 'email_code', emailAddressId: factor.emailAddressId })
   */
  prepareFirstFactor(params: PrepareFirstFactorParams): Promise<SignInResource> {
    const path = `/v1/client/sign_ins/${seg(this.id)}/prepare_first_factor`;
    if (params.strategy === 'email_code') return this.#post(path, { strategy: 'email_code', emailAddressId: params.emailAddressId });
    return this.#post(path, { strategy: params.strategy });
  }

  /** `passkey` with the assertion, or `email_code` with the code from the email. */
  attemptFirstFactor(params: AttemptFirstFactorParams): Promise<SignInResource> {
    const path = `/v1/client/sign_ins/${seg(this.id)}/attempt_first_factor`;
    if (params.strategy === 'email_code') return this.#post(path, { strategy: 'email_code', code: params.code });
    if (params.strategy === 'recovery_code') return this.#post(path, { strategy: 'recovery_code', code: params.code });
    return this.#post(path, {
      strategy: params.strategy,
      publicKeyCredential: JSON.stringify(credentialToJSON(params.publicKeyCredential)),
    });
  }

  /**
   * The whole passkey sign-in. `discoverable`/`autofill` start a fresh sign-in whose options have
   * an empty allowCredentials (the browser offers every passkey for this site); without a flow,
   * the sign-in must already hold an identifier and the options list that user's passkeys.
   * @example
   * const attempt = await signIn.authenticateWithPasskey({ flow: 'discoverable' })
   * if (attempt.status === 'complete') await setActive({ session: attempt.createdSessionId })
   */
  async authenticateWithPasskey(params: AuthenticateWithPasskeyParams = {}): Promise<SignInResource> {
    const { flow } = params;
    // Checked before any request so an unsupported browser does not leave a dangling sign-in.
    if (!isWebAuthnSupported()) {
      throw new LatchkeyRuntimeError('This browser does not support passkeys.', { code: 'passkey_not_supported' });
    }
    if (flow === 'autofill' && !(await isWebAuthnAutofillSupported())) {
      throw new LatchkeyRuntimeError('This browser does not offer passkeys in autofill.', { code: 'passkey_not_supported' });
    }
    if (flow) {
      await this.create({ strategy: 'passkey' });
    } else {
      if (!this.id) {
        throw new LatchkeyRuntimeError(
          'Call signIn.create({ identifier }) first, or pass { flow: "discoverable" } to let the user pick any passkey.',
          { code: 'invalid_usage' },
        );
      }
      await this.prepareFirstFactor({ strategy: 'passkey' });
    }
    const credential = await getPasskeyCredential(this.firstFactorVerification.nonce, { conditional: flow === 'autofill' });
    return this.attemptFirstFactor({ strategy: 'passkey', publicKeyCredential: credential });
  }
}
