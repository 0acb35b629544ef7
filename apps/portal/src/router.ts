/**
 * The portal's pages and where it lives. Under `/portal` on any server; at the root too on a
 * server that hosts no app of its own (docs/portal.md). The base is read from the address, so
 * one build serves both.
 */
import { navigate, useHref } from '../../shared/history';

/** `/portal` when the page was opened under it, else `` (the bare `/sign-in`, `/sign-up`, `/user`). */
export const BASE = window.location.pathname === '/portal' || window.location.pathname.startsWith('/portal/') ? '/portal' : '';

export type PageName = 'sign-in' | 'sign-up' | 'user';

/** The page of a path under BASE, or null. */
export function pageOf(pathname: string): PageName | null {
  const rest = pathname.slice(BASE.length).replace(/\/$/, '');
  if (rest === '/sign-in' || rest === '/sign-up' || rest === '/user') return rest.slice(1) as PageName;
  if (rest === '') return 'user';
  return null;
}

/** The URL of a page, keeping `redirect_url` so the user still goes back to their app. */
export function pageUrl(page: PageName, redirectUrl?: string | null): string {
  const q = redirectUrl ? `?${new URLSearchParams({ redirect_url: redirectUrl })}` : '';
  return `${BASE}/${page}${q}`;
}

/** Client-side navigation within the portal (the components' links use it). */
export function push(path: string): void {
  navigate(path);
}

export function replace(path: string): void {
  navigate(path, { replace: true });
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const url = useHref();
  return { pathname: url.pathname, search: url.searchParams };
}
