import { useState, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';

/** A new set of recovery codes, shown once: the list, a copy button, and "I have saved them". */
export function RecoveryCodesList({ ui, codes, onDone }: { ui: UI; codes: string[]; onDone: () => void }): ReactNode {
  const { l } = ui;
  const [copied, setCopied] = useState(false);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(`${codes.join('\n')}\n`);
      setCopied(true);
    } catch {
      // No clipboard (permissions, insecure context): the codes stay on screen to copy by hand.
    }
  }

  return (
    <div data-testid="recovery-codes">
      <h3 className={ui.cls('sectionTitle')}>{l.recovery.codesTitle}</h3>
      <p className="lk-muted">{l.recovery.codesText}</p>
      <ul className="lk-codes" data-testid="recovery-codes-list" aria-label={l.recovery.codesTitle}>
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="lk-row">
        <button type="button" className={ui.cls('button', 'lk-button')} onClick={() => void copy()} data-testid="recovery-codes-copy">
          {l.recovery.copy}
        </button>
        <button type="button" className={ui.cls('formButtonPrimary', 'lk-button')} onClick={onDone} data-testid="recovery-codes-done">
          {l.recovery.saved}
        </button>
      </div>
      <p className={ui.cls('status')} role="status" data-testid="recovery-codes-status">
        {copied ? l.recovery.copied : ''}
      </p>
    </div>
  );
}
