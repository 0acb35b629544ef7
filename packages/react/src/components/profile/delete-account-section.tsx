import type { UserResource } from '@latchkey/js';
import { useId, useState, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';
import { displayName } from '../display-name.js';
import { errorMessage } from '../error-message.js';
import { Notice, useNotice } from './notice.js';

/** Delete the account, behind a confirmation whose safe choice has the focus. */
export function DeleteAccountSection({ ui, user, afterDelete }: { ui: UI; user: UserResource; afterDelete?: (() => void) | undefined }): ReactNode {
  const { l, f } = ui;
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { notice, fail } = useNotice();

  async function remove(): Promise<void> {
    setBusy(true);
    try {
      await user.delete();
      afterDelete?.();
    } catch (err) {
      fail(errorMessage(err, l.errors));
      setBusy(false);
    }
  }

  return (
    <section className={ui.cls('section', 'lk-danger-zone')} aria-labelledby={`${id}-title`} data-testid="user-profile-danger">
      <h2 id={`${id}-title`} className={ui.cls('sectionTitle')}>
        {l.userProfile.dangerTitle}
      </h2>
      <p className="lk-muted">{l.userProfile.dangerText}</p>
      {confirming ? (
        <div role="group" aria-labelledby={`${id}-confirm`} className="lk-row lk-confirm">
          <p id={`${id}-confirm`}>{f(l.userProfile.confirmDeleteAccount, { name: displayName(user) })}</p>
          <button type="button" className={ui.cls('buttonDanger', 'lk-button')} disabled={busy} onClick={() => void remove()} data-testid="account-delete-confirm">
            {l.userProfile.deleteAccountConfirm}
          </button>
          <button type="button" className={ui.cls('button', 'lk-button')} autoFocus onClick={() => setConfirming(false)} data-testid="account-delete-cancel">
            {l.userProfile.cancel}
          </button>
        </div>
      ) : (
        <button type="button" className={ui.cls('buttonDanger', 'lk-button')} onClick={() => setConfirming(true)} data-testid="account-delete">
          {l.userProfile.deleteAccount}
        </button>
      )}
      <Notice ui={ui} notice={notice} testId="account-delete" />
    </section>
  );
}
