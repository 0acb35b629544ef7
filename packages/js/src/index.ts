/**
 * @latchkey/js — the browser SDK. Mirrors Clerk's custom-flow API (resources, statuses, error
 * codes) so code written for Clerk ports by changing imports.
 */
export { Latchkey } from './latchkey.js';
export type { LatchkeyListener, LatchkeyOptions, LatchkeyResources, SetActiveParams, SignOutOptions } from './latchkey.js';

export {
  LatchkeyAPIResponseError,
  LatchkeyRuntimeError,
  isLatchkeyAPIResponseError,
  isLatchkeyRuntimeError,
  // Clerk's names, so `isClerkAPIResponseError(err)` keeps working after the import swap.
  isLatchkeyAPIResponseError as isClerkAPIResponseError,
  isLatchkeyRuntimeError as isClerkRuntimeError,
} from './errors.js';
export type { LatchkeyAPIError, LatchkeyAPIErrorCode, LatchkeyRuntimeErrorCode } from './errors.js';
export type { ErrorCode } from '@latchkey/types';

export {
  isWebAuthnAutofillSupported,
  isWebAuthnConditionalCreateSupported,
  isWebAuthnPlatformAuthenticatorSupported,
  isWebAuthnSupported,
} from './webauthn/support.js';
export { cancelPendingPasskeyRequest } from './webauthn/ceremony.js';
export { bytesToBase64url, base64urlToBytes } from './webauthn/base64url.js';
export type { AuthenticationResponseJSON, RegistrationResponseJSON } from './webauthn/credential.js';
export { parsePublishableKey } from './publishable-key.js';

export type {
  AttemptFirstFactorParams,
  AuthenticateWithPasskeyParams,
  ClientResource,
  CreatePasskeyParams,
  DeletedObjectResource,
  EmailAddressResource,
  EnvironmentResource,
  GetTokenOptions,
  PasskeyResource,
  PrepareFirstFactorParams,
  PublicKeyCredentialInput,
  RecoveryCodesResource,
  SessionResource,
  SessionStatus,
  SessionTask,
  SessionWithActivitiesResource,
  SignInCreateParams,
  SignInFirstFactor,
  SignInResource,
  SignInStatus,
  SignUpCreateParams,
  SignUpResource,
  SignUpStatus,
  SignUpVerificationResource,
  SignUpVerificationsResource,
  PrepareSignUpVerificationParams,
  AttemptSignUpVerificationParams,
  TokenResource,
  UpdateUserParams,
  UserResource,
  VerificationResource,
  VerificationStatus,
} from './resources/types.js';
