/**
 * @latchkey/react — provider, hooks and prebuilt passkey components. Hook names and return
 * shapes follow @clerk/clerk-react, so custom-flow code ports by changing imports.
 */
export { LatchkeyProvider } from './provider.js';
export type { LatchkeyProviderProps } from './provider.js';
export { useAuth, useLatchkey, useSession, useSignIn, useSignUp, useUser } from './hooks.js';
export type { GetToken, SetActive, SignOut, UseAuthReturn, UseSessionReturn, UseSignInReturn, UseSignUpReturn, UseUserReturn } from './hooks.js';
export { SignInFuture, toSignInErrors } from './sign-in-future.js';
export type { FetchStatus, FieldError, SignInErrors, SignInFinalizeParams, SignInFutureResource, SignInPasskeyParams } from './sign-in-future.js';
export { SignedIn, SignedOut } from './control.js';
export { SignIn } from './components/sign-in.js';
export type { SignInProps } from './components/sign-in.js';
export { SignUp } from './components/sign-up.js';
export type { SignUpProps } from './components/sign-up.js';
export { UserProfile } from './components/user-profile.js';
export type { UserProfileProps, UserProfileSection } from './components/user-profile.js';
export { UserButton } from './components/user-button.js';
export type { UserButtonProps } from './components/user-button.js';
export { errorMessage } from './components/error-message.js';
export type { Appearance, AppearanceElement, AppearanceVariables } from './ui/appearance.js';
export { defaultLocalization } from './ui/localization.js';
export type { LatchkeyLocalization } from './ui/localization.js';

export {
  cancelPendingPasskeyRequest,
  Latchkey,
  LatchkeyAPIResponseError,
  LatchkeyRuntimeError,
  isClerkAPIResponseError,
  isClerkRuntimeError,
  isLatchkeyAPIResponseError,
  isLatchkeyRuntimeError,
  isWebAuthnAutofillSupported,
  isWebAuthnConditionalCreateSupported,
  isWebAuthnPlatformAuthenticatorSupported,
  isWebAuthnSupported,
} from '@latchkey/js';
export type {
  ClientResource,
  DeletedObjectResource,
  EmailAddressResource,
  ErrorCode,
  GetTokenOptions,
  LatchkeyAPIError,
  LatchkeyAPIErrorCode,
  LatchkeyRuntimeErrorCode,
  PasskeyResource,
  SessionResource,
  SessionWithActivitiesResource,
  SetActiveParams,
  SignInResource,
  SignOutOptions,
  SignUpResource,
  UserResource,
  VerificationResource,
} from '@latchkey/js';
