import type { RecoveryCodesResource, UserResource } from '@latchkey/js';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';
import { errorMessage } from '../error-message.js';
import { RecoveryCodesList } from '../recovery/codes-list.js';
import { Notice, useNotice } from './notice.js';

/** How many recovery codes are left; make a set, or replace it (confirmed), shown once. */
export function RecoveryCodesSection({ ui, user }: { ui: UI; user: UserResource }): ReactNode {
  const { l, f } = ui;
  const id = useId();
  const notice = useNotice();
  const [summary, setSummary] = useState<RecoveryCodesResource | null>(null);
  const [fresh, setFresh] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  // Read once per user: every answer replaces the user object (the piggy-backed client), so
  // depending on the object itself would read again after each read.
  const userRef = useRef(user);
  userRef.current = user;
  const { fail } = notice;
  useEffect(() => {
    let live = true;
    userRef.current.getRecoveryCodes().then(
      (s) => live && setSummary(s),
      (err: unknown) => live && fail(errorMessage(err, l.errors)),
    );
    return () => {
      live = false;
    };
  }, [user.id, l.errors, fail]);

  async function generate(): Promise<void> {
    setBusy(true);
    setConfirming(false);
    notice.clear();
    try {
      const made = await user.createRecoveryCodes();
      setSummary({ ...made, codes: null });
      setFresh(made.codes);
    } catch (err) {
      notice.fail(errorMessage(err, l.errors));
    } finally {
      setBusy(false);
    }
  }

  const has = (summary?.total ?? 0) > 0;
  return (
    <section className={ui.cls('section')} aria-labelledby={`${id}-title`} data-testid="user-profile-recovery-codes">
      <h2 id={`${id}-title`} className={ui.cls('sectionTitle')}>
        {l.recovery.sectionTitle}
      </h2>
      {fresh ? (
        <RecoveryCodesList ui={ui} codes={fresh} onDone={() => setFresh(null)} />
      ) : (
        <>
          <p className="lk-muted" data-testid="recovery-codes-remaining">
            {summary === null ? l.loading : has ? f(l.recovery.remaining, { remaining: summary.remaining, total: summary.total }) : l.recovery.none}
          </p>
          {confirming ? (
            <div className="lk-row lk-confirm" data-testid="recovery-codes-confirm">
              <p>{l.recovery.confirmRegenerate}</p>
              <button type="button" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button')} onClick={() => void generate()} data-testid="recovery-codes-confirm-yes">
                {l.recovery.confirmRegenerateButton}
              </button>
              <button type="button" className={ui.cls('button', 'lk-button')} onClick={() => setConfirming(false)}>
                {l.recovery.cancel}
              </button>
            </div>
          ) : (
            <button
              type="button"
              disabled={busy || summary === null}
              className={ui.cls(has ? 'button' : 'formButtonPrimary', 'lk-button')}
              onClick={() => (has ? setConfirming(true) : void generate())}
              data-testid="recovery-codes-generate"
            >
              {has ? l.recovery.regenerate : l.recovery.generate}
            </button>
          )}
        </>
      )}
      <Notice ui={ui} notice={notice.notice} testId="recovery-codes-notice" />
    </section>
  );
}
