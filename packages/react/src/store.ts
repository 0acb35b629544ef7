import type { ClientResource, Latchkey, SessionResource, UserResource } from '@latchkey/js';

/** What React renders from. A new object only when something a component could show changed. */
export interface LatchkeySnapshot {
  isLoaded: boolean;
  client: ClientResource | undefined;
  session: SessionResource | null | undefined;
  user: UserResource | null | undefined;
  /** Passkey changes bump `user.updated_at` on the server; comparing it catches in-place updates too. */
  userUpdatedAt: number | undefined;
}

export type SnapshotSource = Pick<Latchkey, 'loaded' | 'client' | 'session' | 'user' | 'addListener'>;

export function readSnapshot(src: SnapshotSource): LatchkeySnapshot {
  const user = src.user;
  return { isLoaded: src.loaded, client: src.client, session: src.session, user, userUpdatedAt: user?.updatedAt.getTime() };
}

export function sameSnapshot(a: LatchkeySnapshot, b: LatchkeySnapshot): boolean {
  return a.isLoaded === b.isLoaded && a.client === b.client && a.session === b.session && a.user === b.user && a.userUpdatedAt === b.userUpdatedAt;
}

/**
 * Adapts a Latchkey instance to `useSyncExternalStore`: `getSnapshot` must return the same object
 * until something changed, or React re-renders forever.
 */
export function createLatchkeyStore(src: SnapshotSource): { subscribe: (onChange: () => void) => () => void; getSnapshot: () => LatchkeySnapshot } {
  let snapshot = readSnapshot(src);
  const refresh = (): boolean => {
    const next = readSnapshot(src);
    if (sameSnapshot(snapshot, next)) return false;
    snapshot = next;
    return true;
  };
  return {
    getSnapshot: () => snapshot,
    subscribe(onChange) {
      // Catch up on changes made between the first render and this subscription.
      if (refresh()) onChange();
      return src.addListener(() => {
        if (refresh()) onChange();
      });
    },
  };
}
