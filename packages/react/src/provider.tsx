import { Latchkey } from '@latchkey/js';
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { LatchkeyContext, type LatchkeyContextValue } from './context.js';
import { SignInFuture } from './sign-in-future.js';
import { createLatchkeyStore } from './store.js';

export interface LatchkeyProviderProps {
  /** `pk_test_…` / `pk_live_…`; encodes the Frontend API host. */
  publishableKey?: string;
  /** Full Frontend API URL; overrides the key's host. */
  frontendApi?: string;
  /** An instance you created yourself (to share it with non-React code). */
  latchkey?: Latchkey;
  children?: ReactNode;
}

/**
 * Creates one Latchkey instance, loads it, and re-renders its subtree on every client change.
 * Props are read once, at mount.
 * @example <LatchkeyProvider publishableKey="pk_test_…"><App /></LatchkeyProvider>
 */
export function LatchkeyProvider({ publishableKey, frontendApi, latchkey: given, children }: LatchkeyProviderProps): ReactNode {
  const [latchkey] = useState(() => given ?? new Latchkey(publishableKey, frontendApi ? { frontendApi } : {}));
  const store = useMemo(() => createLatchkeyStore(latchkey), [latchkey]);
  const signInFuture = useMemo(() => new SignInFuture(latchkey), [latchkey]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

  useEffect(() => {
    latchkey.load().catch((err: unknown) => {
      console.error('[latchkey] could not load; is the Latchkey server reachable?', err);
    });
  }, [latchkey]);

  const value = useMemo<LatchkeyContextValue>(() => ({ latchkey, snapshot, signInFuture }), [latchkey, snapshot, signInFuture]);
  return <LatchkeyContext.Provider value={value}>{children}</LatchkeyContext.Provider>;
}
