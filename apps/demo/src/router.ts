/**
 * The smallest router the guide's code needs: `useRouter().push(path)` (Next.js's spelling) over
 * `history.pushState`, and `useLocation()` to pick the page. Nothing else.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function push(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  notify();
}

export function useRouter(): { push: (path: string) => void } {
  return { push };
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(path, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** For `<a href onClick={followLink}>`: plain clicks navigate in place, modified clicks stay native. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  push(event.currentTarget.getAttribute('href') ?? '/');
}
