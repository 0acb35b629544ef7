import type { SessionResource } from '@latchkey/js';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useLatchkeyContext } from '../context.js';
import { signedInSession } from '../hooks.js';
import type { Appearance } from '../ui/appearance.js';
import type { LatchkeyLocalization } from '../ui/localization.js';
import { UILink } from '../ui/ui-link.js';
import { useUI } from '../ui/use-ui.js';
import { displayName, initials } from './display-name.js';

export interface UserButtonProps {
  /** "Manage account" goes here (default: the provider's `userProfileUrl`, else `/account`). */
  userProfileUrl?: string;
  /** Where to go once no account is signed in any more (default: the provider's `afterSignOutUrl`). */
  afterSignOutUrl?: string;
  appearance?: Appearance;
  localization?: LatchkeyLocalization;
}

/**
 * The signed-in account as an avatar button with a menu: manage account, sign out. In
 * multi-session mode it lists the browser's other accounts to switch to, adds an account, and
 * signs out one account at a time, naming it ("Sign out of bob").
 */
export function UserButton({ userProfileUrl, afterSignOutUrl, appearance, localization }: UserButtonProps): ReactNode {
  const { latchkey, snapshot } = useLatchkeyContext('UserButton');
  const ui = useUI({ appearance, localization });
  const { l, f } = ui;
  const id = useId();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  // Close on a click outside or on Escape (focus goes back to the trigger).
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      triggerRef.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  // A pending session (recovery, no passkey yet) is not signed in: SignIn shows its one step.
  const session = signedInSession(snapshot.session);
  const multi = latchkey.environment?.authConfig.singleSessionMode === false;
  const root = ui.root('user-button');
  if (!snapshot.isLoaded || !session) {
    // Keep the live region mounted so "Signed out of …" is still announced and shown.
    return status ? (
      <div {...root}>
        <p className={ui.cls('status')} role="status" data-testid="user-button-status">
          {status}
        </p>
      </div>
    ) : null;
  }
  const user = session.user;
  const name = displayName(user);
  const others = (snapshot.client?.signedInSessions ?? []).filter((s) => s.id !== session.id && s.user);
  const profileUrl = userProfileUrl ?? ui.options.userProfileUrl ?? '/account';
  const signInUrl = ui.options.signInUrl ?? '/sign-in';

  async function act(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  }

  async function leaveIfNoneLeft(): Promise<void> {
    const target = afterSignOutUrl ?? ui.options.afterSignOutUrl;
    if (!target || latchkey.session) return;
    if (ui.options.routerPush) await ui.options.routerPush(target);
    else if (typeof location !== 'undefined') location.assign(target);
  }

  /** Ends the active account only; another signed-in account, if any, becomes the active one. */
  async function signOutActive(): Promise<void> {
    const ending = name;
    const next = others[0];
    await latchkey.signOut({ sessionId: session!.id });
    if (next) await latchkey.setActive({ session: next.id });
    setStatus(f(l.userButton.signedOutOf, { name: ending }));
    await leaveIfNoneLeft();
  }

  async function signOutAll(): Promise<void> {
    await latchkey.signOut();
    setStatus(multi ? '' : f(l.userButton.signedOutOf, { name }));
    await leaveIfNoneLeft();
  }

  const switchTo = (s: SessionResource) => act(() => latchkey.setActive({ session: s.id }).then(() => setStatus('')));
  const action = ui.cls('userButtonAction', 'lk-button');

  return (
    <div {...root} ref={rootRef} data-testid="user-button">
      <button
        ref={triggerRef}
        type="button"
        className={ui.cls('userButtonTrigger', 'lk-button')}
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-label={f(l.userButton.open, { name })}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-button-trigger"
      >
        <span className={ui.cls('avatar')} aria-hidden="true">
          {initials(user)}
        </span>
        <span className="lk-trigger-name">{name}</span>
      </button>
      {open && (
        <div id={`${id}-menu`} className={ui.cls('userButtonPopover')} data-testid="user-button-popover">
          <div className="lk-account">
            <span className={ui.cls('avatar')} aria-hidden="true">
              {initials(user)}
            </span>
            <span className="lk-account-text">
              <strong data-testid="user-button-name">{name}</strong>
              {user?.primaryEmailAddress && user.username && <span>{user.primaryEmailAddress.emailAddress}</span>}
            </span>
          </div>
          <UILink href={profileUrl} className={`${action} lk-link-action`} routerPush={ui.options.routerPush} onNavigate={() => setOpen(false)} testId="user-button-manage">
            {l.userButton.manageAccount}
          </UILink>
          <button type="button" className={action} disabled={busy} onClick={() => void act(multi ? signOutActive : signOutAll)} data-testid="user-button-sign-out">
            {multi ? f(l.userButton.signOutOf, { name }) : l.userButton.signOut}
          </button>
          {multi && (
            <>
              <hr className="lk-menu-sep" />
              {others.map((s) => (
                <button key={s.id} type="button" className={action} disabled={busy} onClick={() => void switchTo(s)} data-testid="user-button-switch">
                  <span className="lk-account">
                    <span className={ui.cls('avatar')} aria-hidden="true">
                      {initials(s.user)}
                    </span>
                    <span className="lk-account-text">{f(l.userButton.switchTo, { name: displayName(s.user) })}</span>
                  </span>
                </button>
              ))}
              <UILink href={signInUrl} className={action} routerPush={ui.options.routerPush} onNavigate={() => setOpen(false)} testId="user-button-add-account">
                {l.userButton.addAccount}
              </UILink>
              {others.length > 0 && (
                <button type="button" className={action} disabled={busy} onClick={() => void act(signOutAll)} data-testid="user-button-sign-out-all">
                  {l.userButton.signOutAll}
                </button>
              )}
            </>
          )}
        </div>
      )}
      <p className={ui.cls('status')} role="status" data-testid="user-button-status" style={status ? { position: 'absolute', right: 0, top: '100%', whiteSpace: 'nowrap' } : undefined}>
        {status}
      </p>
    </div>
  );
}
