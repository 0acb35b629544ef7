import type { Latchkey } from '@latchkey/js';
import { createContext, useContext } from 'react';
import type { SignInFuture } from './sign-in-future.js';
import type { LatchkeySnapshot } from './store.js';

export interface LatchkeyContextValue {
  latchkey: Latchkey;
  snapshot: LatchkeySnapshot;
  /** The one sign-in object `useSignIn()` hands out, with both API generations' methods. */
  signInFuture: SignInFuture;
}

export const LatchkeyContext = createContext<LatchkeyContextValue | null>(null);

export function useLatchkeyContext(hook: string): LatchkeyContextValue {
  const value = useContext(LatchkeyContext);
  if (!value) throw new Error(`${hook} can only be used inside <LatchkeyProvider>.`);
  return value;
}
