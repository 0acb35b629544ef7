import { useCallback, useState, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';

export type NoticeState = { kind: 'success' | 'error'; text: string } | null;

/**
 * One message slot per section: a new error replaces an old success message and the other way
 * round, so "Renamed …" never stands beside a failure that came after it.
 */
export function useNotice() {
  const [notice, setNotice] = useState<NoticeState>(null);
  const success = useCallback((text: string) => setNotice({ kind: 'success', text }), []);
  const fail = useCallback((text: string) => setNotice(text ? { kind: 'error', text } : null), []);
  const clear = useCallback(() => setNotice(null), []);
  return { notice, success, fail, clear };
}

/** The section's status (polite) and alert (assertive) regions; only one of them has text. */
export function Notice({ ui, notice, testId, busyText }: { ui: UI; notice: NoticeState; testId: string; busyText?: string | undefined }): ReactNode {
  return (
    <>
      <p className={ui.cls('status')} role="status" data-kind={notice?.kind === 'success' ? 'success' : undefined} data-testid={`${testId}-status`}>
        {busyText || (notice?.kind === 'success' ? notice.text : '')}
      </p>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid={`${testId}-error`} style={{ marginTop: 10 }}>
        {notice?.kind === 'error' ? notice.text : ''}
      </p>
    </>
  );
}
