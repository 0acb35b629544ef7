import type { ReactNode } from 'react';
import { useLatchkeyContext } from './context.js';
import { signedInSession } from './hooks.js';

/** Renders its children only when a user is signed in. */
export function SignedIn({ children }: { children?: ReactNode }): ReactNode {
  const { snapshot } = useLatchkeyContext('SignedIn');
  return snapshot.isLoaded && signedInSession(snapshot.session) ? children : null;
}

/** Renders its children only once loaded and nobody is signed in (no flash while loading). */
export function SignedOut({ children }: { children?: ReactNode }): ReactNode {
  const { snapshot } = useLatchkeyContext('SignedOut');
  return snapshot.isLoaded && !signedInSession(snapshot.session) ? children : null;
}
