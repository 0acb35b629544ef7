/**
 * One sign-in object with both of Clerk's API generations (issue 14, item 10):
 *
 * - Core 3 (`@clerk/react` 6): `signIn.passkey({ flow })` runs the ceremony and
 *   `signIn.finalize({ navigate })` activates the session; both answer `{ error }` instead of
 *   throwing, and the hook reports `errors` and `fetchStatus` beside the object.
 * - The legacy API (`@clerk/react/legacy`, the passkey guide): `authenticateWithPasskey()`,
 *   `create()`, `prepareFirstFactor()`, `attemptFirstFactor()`, which return the resource and
 *   throw on failure — delegated unchanged to @latchkey/js's SignIn.
 *
 * Fields read through to the browser's current sign-in, so the object itself never changes and
 * exists before load (Core 3's `signIn` is never undefined); its methods wait for load.
 */
import {
  isLatchkeyAPIResponseError,
  isLatchkeyRuntimeError,
  type Latchkey,
  type LatchkeyAPIError,
  type SessionResource,
  type SignInResource,
  type VerificationResource,
} from '@latchkey/js';

/** One error, as Core 3's `errors.fields.*` and `errors.global` carry them. */
export interface FieldError {
  code: string;
  message: string;
  longMessage?: string;
}

/** Core 3's `errors`: by field where the server names one, otherwise global; `raw` as thrown. */
export interface SignInErrors {
  fields: { identifier: FieldError | null };
  raw: unknown[] | null;
  global: FieldError[] | null;
}

export type FetchStatus = 'idle' | 'fetching';

export interface SignInFutureState {
  errors: SignInErrors;
  fetchStatus: FetchStatus;
}

export interface SignInPasskeyParams {
  flow?: 'discoverable' | 'autofill';
}

export interface SignInFinalizeParams {
  /** Called with the activated session before `finalize()` resolves, e.g. to route to `/`. */
  navigate?: (params: { session: SessionResource; decorateUrl: (url: string) => string }) => void | Promise<unknown>;
}

export type SignInResult = Promise<{ error: unknown | null }>;

/** Core 3's `signIn.emailCode`: email-code sign-in (instances with `emailCodeSignIn` on). */
export interface SignInEmailCode {
  /**
   * Emails a code: to the current sign-in's email factor, or — given `emailAddress` — starts a
   * sign-in with that identifier first.
   * @example
   * await signIn.emailCode.sendCode({ emailAddress: 'ada@example.com' })
   * const { error } = await signIn.emailCode.verifyCode({ code })
   * if (!error) await signIn.finalize()
   */
  sendCode(params?: { emailAddress?: string; emailAddressId?: string }): SignInResult;
  verifyCode(params: { code: string }): SignInResult;
}

/** The legacy sign-in resource plus Core 3's methods. */
export interface SignInFutureResource extends SignInResource {
  passkey(params?: SignInPasskeyParams): SignInResult;
  emailCode: SignInEmailCode;
  finalize(params?: SignInFinalizeParams): SignInResult;
  /** Forgets the attempt's errors locally; the next call starts over. No request. */
  reset(): SignInResult;
}

const NO_ERRORS: SignInErrors = { fields: { identifier: null }, raw: null, global: null };
const EMPTY_VERIFICATION: VerificationResource = { status: null, strategy: null, nonce: null, attempts: null, expireAt: null, error: null };

function fieldError(e: LatchkeyAPIError): FieldError {
  return { code: e.code, message: e.message, longMessage: e.longMessage };
}

/** Sorts a thrown error into Core 3's `errors` shape. */
export function toSignInErrors(err: unknown): SignInErrors {
  if (isLatchkeyAPIResponseError(err)) {
    const identifier = err.errors.find((e) => e.meta.paramName === 'identifier');
    const global = err.errors.filter((e) => e !== identifier).map(fieldError);
    return { fields: { identifier: identifier ? fieldError(identifier) : null }, raw: [err], global: global.length ? global : null };
  }
  if (isLatchkeyRuntimeError(err)) return { fields: { identifier: null }, raw: [err], global: [{ code: err.code, message: err.message }] };
  const message = err instanceof Error ? err.message : String(err);
  return { fields: { identifier: null }, raw: [err], global: [{ code: 'unexpected_error', message }] };
}

export class SignInFuture implements SignInFutureResource {
  readonly #latchkey: Latchkey;
  readonly #listeners = new Set<() => void>();
  #state: SignInFutureState = { errors: NO_ERRORS, fetchStatus: 'idle' };

  constructor(latchkey: Latchkey) {
    this.#latchkey = latchkey;
  }

  // --- store for useSyncExternalStore: errors and fetchStatus ---
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  readonly getState = (): SignInFutureState => this.#state;
  #set(state: Partial<SignInFutureState>): void {
    this.#state = { ...this.#state, ...state };
    for (const l of this.#listeners) l();
  }

  // --- fields of the browser's current sign-in ---
  #current(): SignInResource | undefined {
    return this.#latchkey.signIn;
  }
  get id() {
    return this.#current()?.id;
  }
  get status() {
    return this.#current()?.status ?? null;
  }
  get identifier() {
    return this.#current()?.identifier ?? null;
  }
  get supportedFirstFactors() {
    return this.#current()?.supportedFirstFactors ?? [];
  }
  get firstFactorVerification() {
    return this.#current()?.firstFactorVerification ?? EMPTY_VERIFICATION;
  }
  get createdSessionId() {
    return this.#current()?.createdSessionId ?? null;
  }

  async #loaded(): Promise<SignInResource> {
    await this.#latchkey.load();
    return this.#latchkey.signIn!;
  }

  // --- legacy methods: the resource's own, throwing as they always did ---
  async create(params: Parameters<SignInResource['create']>[0]) {
    return (await this.#loaded()).create(params);
  }
  async prepareFirstFactor(params: Parameters<SignInResource['prepareFirstFactor']>[0]) {
    return (await this.#loaded()).prepareFirstFactor(params);
  }
  async attemptFirstFactor(params: Parameters<SignInResource['attemptFirstFactor']>[0]) {
    return (await this.#loaded()).attemptFirstFactor(params);
  }
  async authenticateWithPasskey(params?: Parameters<SignInResource['authenticateWithPasskey']>[0]) {
    return (await this.#loaded()).authenticateWithPasskey(params);
  }

  // --- Core 3 methods: `{ error }`, with errors and fetchStatus reported to the hook ---
  async #run(work: () => Promise<void>): SignInResult {
    this.#set({ fetchStatus: 'fetching', errors: NO_ERRORS });
    try {
      await work();
      this.#set({ fetchStatus: 'idle' });
      return { error: null };
    } catch (error) {
      this.#set({ fetchStatus: 'idle', errors: toSignInErrors(error) });
      return { error };
    }
  }

  /**
   * The passkey ceremony: `discoverable`/`autofill` start a fresh sign-in; without a flow, the
   * sign-in made by `create({ identifier })` offers that user's passkeys.
   */
  passkey(params: SignInPasskeyParams = {}): SignInResult {
    return this.#run(async () => {
      await (await this.#loaded()).authenticateWithPasskey(params.flow ? { flow: params.flow } : {});
    });
  }

  readonly emailCode: SignInEmailCode = {
    sendCode: (params = {}) =>
      this.#run(async () => {
        const signIn = await this.#loaded();
        if (params.emailAddress !== undefined) await signIn.create({ identifier: params.emailAddress });
        const factor = signIn.supportedFirstFactors.find((f) => f.strategy === 'email_code');
        const emailAddressId = params.emailAddressId ?? factor?.emailAddressId;
        await signIn.prepareFirstFactor({ strategy: 'email_code', ...(emailAddressId ? { emailAddressId } : {}) });
      }),
    verifyCode: (params) =>
      this.#run(async () => {
        await (await this.#loaded()).attemptFirstFactor({ strategy: 'email_code', code: params.code });
      }),
  };

  /** Makes the completed sign-in's session the active one, calling `navigate` first. */
  finalize(params: SignInFinalizeParams = {}): SignInResult {
    return this.#run(async () => {
      const signIn = await this.#loaded();
      if (signIn.status !== 'complete' || !signIn.createdSessionId) {
        throw new Error(`finalize() needs a complete sign-in (status is ${signIn.status ?? 'none'}); call signIn.passkey() first.`);
      }
      const navigate = params.navigate;
      await this.#latchkey.setActive({
        session: signIn.createdSessionId,
        ...(navigate ? { navigate: ({ session }: { session: SessionResource }) => navigate({ session, decorateUrl: (url) => url }) } : {}),
      });
    });
  }

  async reset(): SignInResult {
    this.#set({ fetchStatus: 'idle', errors: NO_ERRORS });
    return { error: null };
  }
}
