import type { MouseEvent, ReactNode } from 'react';

/** A real link (it works without JavaScript and opens in a new tab) that navigates client-side when the app gave `routerPush`. */
export function UILink({
  href,
  className,
  routerPush,
  children,
  testId,
  onNavigate,
}: {
  href: string;
  className: string;
  routerPush: ((to: string) => unknown) | undefined;
  children: ReactNode;
  testId?: string;
  /** Called on a click that navigates (e.g. to close the menu the link is in). */
  onNavigate?: () => void;
}): ReactNode {
  function onClick(event: MouseEvent<HTMLAnchorElement>): void {
    onNavigate?.();
    if (!routerPush || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void routerPush(href);
  }
  return (
    <a href={href} className={className} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}
