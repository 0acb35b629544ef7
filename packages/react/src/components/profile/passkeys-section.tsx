import type { UserResource } from '@latchkey/js';
import { useId, useState, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';
import { errorMessage } from '../error-message.js';
import { Notice, useNotice } from './notice.js';
import { PasskeyRow } from './passkey-row.js';

/** The user's passkeys: list, add, rename, delete. */
export function PasskeysSection({ ui, user }: { ui: UI; user: UserResource }): ReactNode {
  const { l, f } = ui;
  const id = useId();
  const [adding, setAdding] = useState(false);
  const notice = useNotice();

  async function add(): Promise<void> {
    setAdding(true);
    notice.clear();
    try {
      const passkey = await user.createPasskey();
      notice.success(f(l.userProfile.passkeyAdded, { name: passkey.name || l.userProfile.unnamedPasskey }));
    } catch (err) {
      notice.fail(errorMessage(err, l.errors));
    } finally {
      setAdding(false);
    }
  }

  // A registration the user abandoned can leave an unverified passkey behind; it cannot sign in.
  const passkeys = user.passkeys.filter((p) => p.verification?.status !== 'unverified');
  return (
    <section className={ui.cls('section')} aria-labelledby={`${id}-title`} data-testid="user-profile-passkeys">
      <h2 id={`${id}-title`} className={ui.cls('sectionTitle')}>
        {l.userProfile.passkeysTitle}
      </h2>
      {passkeys.length === 0 ? (
        <p data-testid="passkey-empty" className="lk-muted">
          {l.userProfile.noPasskeys}
        </p>
      ) : (
        <ul className={ui.cls('list')} data-testid="passkey-list">
          {passkeys.map((passkey) => (
            <PasskeyRow key={passkey.id} ui={ui} passkey={passkey} isLast={passkeys.length === 1} notice={notice} />
          ))}
        </ul>
      )}
      <button type="button" disabled={adding} onClick={() => void add()} className={ui.cls('formButtonPrimary', 'lk-button')} data-testid="passkey-add">
        {l.userProfile.addPasskey}
      </button>
      <Notice ui={ui} notice={notice.notice} testId="passkey" busyText={adding ? l.waitingForPasskey : undefined} />
    </section>
  );
}
