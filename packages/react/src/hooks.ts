import type { GetTokenOptions, Latchkey, SessionResource, SetActiveParams, SignInResource, SignOutOptions, SignUpResource, UserResource } from '@latchkey/js';
import { useCallback, useSyncExternalStore } from 'react';
import { useLatchkeyContext } from './context.js';
import type { FetchStatus, SignInErrors, SignInFutureResource } from './sign-in-future.js';

export type SetActive = (params: SetActiveParams) => Promise<void>;
export type GetToken = (options?: GetTokenOptions) => Promise<string | null>;
export type SignOut = (options?: SignOutOptions) => Promise<void>;

/** The Latchkey instance (Clerk's `useClerk`). */
export function useLatchkey(): Latchkey {
  return useLatchkeyContext('useLatchkey').latchkey;
}

export type UseUserReturn =
  | { isLoaded: false; isSignedIn: undefined; user: undefined }
  | { isLoaded: true; isSignedIn: false; user: null }
  | { isLoaded: true; isSignedIn: true; user: UserResource };

/**
 * The session, if it is fully signed in. A `pending` session (signed in with a recovery code, no
 * passkey added yet) counts as signed out, as Clerk's `treatPendingAsSignedOut` default does:
 * only the SignIn component's "add a passkey now" step deals with it.
 */
export function signedInSession(session: SessionResource | null | undefined): SessionResource | null {
  return session && session.status !== 'pending' ? session : null;
}

export function useUser(): UseUserReturn {
  const { snapshot } = useLatchkeyContext('useUser');
  if (!snapshot.isLoaded) return { isLoaded: false, isSignedIn: undefined, user: undefined };
  return snapshot.user && signedInSession(snapshot.session) ? { isLoaded: true, isSignedIn: true, user: snapshot.user } : { isLoaded: true, isSignedIn: false, user: null };
}

export type UseSessionReturn =
  | { isLoaded: false; isSignedIn: undefined; session: undefined }
  | { isLoaded: true; isSignedIn: false; session: null }
  | { isLoaded: true; isSignedIn: true; session: SessionResource };

export function useSession(): UseSessionReturn {
  const { snapshot } = useLatchkeyContext('useSession');
  if (!snapshot.isLoaded) return { isLoaded: false, isSignedIn: undefined, session: undefined };
  const session = signedInSession(snapshot.session);
  return session ? { isLoaded: true, isSignedIn: true, session } : { isLoaded: true, isSignedIn: false, session: null };
}

// setActive is defined even before load (it waits for it), so guide code can call it unguarded.
function useSetActive(latchkey: Latchkey): SetActive {
  return useCallback((params: SetActiveParams) => latchkey.setActive(params), [latchkey]);
}

export type UseLegacySignInReturn =
  | { isLoaded: false; signIn: undefined; setActive: SetActive }
  | { isLoaded: true; signIn: SignInResource; setActive: SetActive };

/**
 * The legacy hook, exactly (`@latchkey/react/legacy`, like `@clerk/react/legacy`):
 * `{ isLoaded, signIn, setActive }`, `signIn` undefined until loaded.
 */
export function useLegacySignIn(): UseLegacySignInReturn {
  const { latchkey, snapshot } = useLatchkeyContext('useSignIn');
  const setActive = useSetActive(latchkey);
  const signIn = snapshot.client?.signIn;
  return snapshot.isLoaded && signIn ? { isLoaded: true, signIn, setActive } : { isLoaded: false, signIn: undefined, setActive };
}

/**
 * Both generations in one: Core 3's `{ signIn, errors, fetchStatus }` (with `signIn.passkey()`
 * and `signIn.finalize()`), plus the legacy `isLoaded` and `setActive`, on a `signIn` that also
 * has the legacy methods. Code written for either of Clerk's hooks ports by changing imports.
 */
export interface UseSignInReturn {
  signIn: SignInFutureResource;
  errors: SignInErrors;
  fetchStatus: FetchStatus;
  isLoaded: boolean;
  setActive: SetActive;
}

export function useSignIn(): UseSignInReturn {
  const { latchkey, snapshot, signInFuture } = useLatchkeyContext('useSignIn');
  const setActive = useSetActive(latchkey);
  const { errors, fetchStatus } = useSyncExternalStore(signInFuture.subscribe, signInFuture.getState, signInFuture.getState);
  return { signIn: signInFuture, errors, fetchStatus, isLoaded: snapshot.isLoaded, setActive };
}

export type UseSignUpReturn =
  | { isLoaded: false; signUp: undefined; setActive: SetActive }
  | { isLoaded: true; signUp: SignUpResource; setActive: SetActive };

export function useSignUp(): UseSignUpReturn {
  const { latchkey, snapshot } = useLatchkeyContext('useSignUp');
  const setActive = useSetActive(latchkey);
  const signUp = snapshot.client?.signUp;
  return snapshot.isLoaded && signUp ? { isLoaded: true, signUp, setActive } : { isLoaded: false, signUp: undefined, setActive };
}

export type UseAuthReturn = { getToken: GetToken; signOut: SignOut } & (
  | { isLoaded: false; isSignedIn: undefined; userId: undefined; sessionId: undefined }
  | { isLoaded: true; isSignedIn: false; userId: null; sessionId: null }
  | { isLoaded: true; isSignedIn: true; userId: string; sessionId: string }
);

export function useAuth(): UseAuthReturn {
  const { latchkey, snapshot } = useLatchkeyContext('useAuth');
  // Read the session when called, not when rendered: a token is wanted for the session active now.
  const getToken = useCallback<GetToken>(
    async (options) => {
      await latchkey.load();
      const session = signedInSession(latchkey.session);
      return session ? session.getToken(options) : null;
    },
    [latchkey],
  );
  const signOut = useCallback<SignOut>((options) => latchkey.signOut(options), [latchkey]);
  if (!snapshot.isLoaded) return { isLoaded: false, isSignedIn: undefined, userId: undefined, sessionId: undefined, getToken, signOut };
  const session = signedInSession(snapshot.session);
  if (!session) return { isLoaded: true, isSignedIn: false, userId: null, sessionId: null, getToken, signOut };
  return { isLoaded: true, isSignedIn: true, userId: session.user?.id ?? '', sessionId: session.id, getToken, signOut };
}
