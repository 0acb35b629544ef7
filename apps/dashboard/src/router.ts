/** History-API routing under /dashboard: `push(path)` and `useLocation()`. */
import type { MouseEvent } from 'react';
import { isPlainClick, navigate, useHref } from '../../shared/history';

export const BASE = '/dashboard';

/** `path` relative to the dashboard (`/users`), with or without a query. */
export function push(path: string): void {
  navigate(BASE + (path === '/' ? '' : path));
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const url = useHref();
  const path = url.pathname.slice(BASE.length).replace(/\/$/, '') || '/';
  return { path, search: url.searchParams };
}

export function follow(event: MouseEvent<HTMLAnchorElement>, path: string): void {
  if (!isPlainClick(event)) return;
  event.preventDefault();
  push(path);
}
