import type { ReactNode } from 'react';
import { followLink, useLocation } from './router';

/** An anchor that navigates without a reload and marks the current page for screen readers. */
export function Link({ to, children }: { to: string; children: ReactNode }): ReactNode {
  const { pathname } = useLocation();
  return (
    <a href={to} onClick={followLink} aria-current={pathname === to ? 'page' : undefined}>
      {children}
    </a>
  );
}
