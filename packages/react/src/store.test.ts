import type { ClientResource, LatchkeyListener, LatchkeyResources, UserResource } from '@latchkey/js';
import { describe, expect, it, vi } from 'vitest';
import { createLatchkeyStore, type SnapshotSource } from './store.js';

// A stand-in for the Latchkey instance: mutable fields plus a listener list, nothing else.
function fakeSource(): SnapshotSource & { set(fields: Partial<SnapshotSource>): void } {
  const listeners = new Set<LatchkeyListener>();
  const src = {
    loaded: false,
    client: undefined as ClientResource | undefined,
    session: undefined as SnapshotSource['session'],
    user: undefined as SnapshotSource['user'],
    addListener(l: LatchkeyListener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(fields: Partial<SnapshotSource>) {
      Object.assign(src, fields);
      for (const l of listeners) l({} as LatchkeyResources);
    },
  };
  return src as unknown as SnapshotSource & { set(fields: Partial<SnapshotSource>): void };
}

const user = (updatedAt: number): UserResource => ({ id: 'user_1', updatedAt: new Date(updatedAt) }) as UserResource;

describe('createLatchkeyStore', () => {
  it('keeps the same snapshot until something visible changes', () => {
    const src = fakeSource();
    const store = createLatchkeyStore(src);
    const onChange = vi.fn();
    store.subscribe(onChange);
    const first = store.getSnapshot();
    src.set({});
    expect(store.getSnapshot()).toBe(first);
    expect(onChange).not.toHaveBeenCalled();

    src.set({ loaded: true, client: {} as ClientResource, session: null, user: null });
    expect(store.getSnapshot()).not.toBe(first);
    expect(store.getSnapshot().isLoaded).toBe(true);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('notices a user changed in place (updatedAt moved, same object)', () => {
    const src = fakeSource();
    const u = user(1);
    src.set({ loaded: true, user: u });
    const store = createLatchkeyStore(src);
    const onChange = vi.fn();
    store.subscribe(onChange);
    (u as { updatedAt: Date }).updatedAt = new Date(2);
    src.set({});
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().userUpdatedAt).toBe(2);
  });

  it('catches up on changes made before subscribing', () => {
    const src = fakeSource();
    const store = createLatchkeyStore(src);
    src.set({ loaded: true });
    const onChange = vi.fn();
    store.subscribe(onChange);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().isLoaded).toBe(true);
  });
});
