import type { SessionResource } from '@latchkey/js';
import { useState, type ReactNode } from 'react';
import { useLatchkey } from '../../hooks.js';
import type { UI } from '../../ui/use-ui.js';
import { displayName } from '../display-name.js';
import { errorMessage } from '../error-message.js';

/**
 * "Add a passkey now": what a `pending` session (signed in with a recovery code) sees. Its only
 * way forward is a new passkey, which the server answers by making the session active; the
 * provider then re-renders as signed in. `onDone` runs after that.
 */
export function AddPasskeyStep({ ui, session, onDone }: { ui: UI; session: SessionResource; onDone?: (() => void) | undefined }): ReactNode {
  const latchkey = useLatchkey();
  const { l } = ui;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function add(): Promise<void> {
    setBusy(true);
    setError('');
    try {
      await session.user!.createPasskey();
      onDone?.();
    } catch (err) {
      setError(errorMessage(err, l.errors));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="recovery-add-passkey">
      <div className={ui.cls('header')}>
        <h2 className={ui.cls('title')}>{l.recovery.addPasskeyTitle}</h2>
        <p className={ui.cls('subtitle')}>{ui.f(l.recovery.addPasskeyText, { name: displayName(session.user) })}</p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="recovery-add-passkey-error">
        {error}
      </p>
      <button type="button" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} onClick={() => void add()} data-testid="recovery-add-passkey-button">
        {l.recovery.addPasskey}
      </button>
      <p className={ui.cls('status')} role="status">
        {busy ? l.waitingForPasskey : ''}
      </p>
      <div className={ui.cls('footer')}>
        <button type="button" className="lk-link lk-link-button" onClick={() => void latchkey.signOut()} data-testid="recovery-sign-out">
          {l.recovery.signOut}
        </button>
      </div>
    </div>
  );
}
