import { Latchkey } from '@latchkey/js';
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { LatchkeyContext, type LatchkeyContextValue } from './context.js';
import { SignInFuture } from './sign-in-future.js';
import { createLatchkeyStore } from './store.js';
import { UIOptionsContext, type UIOptions } from './ui/options.js';

/** Also the prebuilt components' shared options: `appearance`, `localization`, page URLs, `routerPush`. */
export interface LatchkeyProviderProps extends UIOptions {
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
export function LatchkeyProvider({ publishableKey, frontendApi, latchkey: given, children, ...ui }: LatchkeyProviderProps): ReactNode {
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
  // Read once at mount, like the other props: an inline object would otherwise re-render every component.
  const [uiOptions] = useState<UIOptions>(() => ui);
  return (
    <LatchkeyContext.Provider value={value}>
      <UIOptionsContext.Provider value={uiOptions}>{children}</UIOptionsContext.Provider>
    </LatchkeyContext.Provider>
  );
}
