/** History-API routing under /dashboard: `push(path)` and `useLocation()`. */
import { useSyncExternalStore, type MouseEvent } from 'react';

export const BASE = '/dashboard';
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** `path` relative to the dashboard (`/users`), with or without a query. */
export function push(path: string): void {
  const full = BASE + (path === '/' ? '' : path);
  if (full === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', full);
  for (const l of listeners) l();
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, window.location.origin);
  const path = url.pathname.slice(BASE.length).replace(/\/$/, '') || '/';
  return { path, search: url.searchParams };
}

export function follow(event: MouseEvent<HTMLAnchorElement>, path: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  push(path);
}
