/**
 * History-API navigation for the portal and the dashboard: the address bar as a store that React
 * re-renders on (`useHref`), changed by `navigate`. Each app adds its own base path and pages.
 */
import { type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

/** Goes to `href` (path and query). A push to where the page already is does nothing. */
export function navigate(href: string, o: { replace?: boolean } = {}): void {
  if (o.replace) window.history.replaceState(null, '', href);
  else if (href === currentHref()) return;
  else window.history.pushState(null, '', href);
  for (const l of listeners) l();
}

/** The current address, re-rendering on every navigation. */
export function useHref(): URL {
  const href = useSyncExternalStore(subscribe, currentHref);
  return new URL(href, window.location.origin);
}

/** A plain left click, which navigates in place; modified clicks keep the browser's behaviour. */
export function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
