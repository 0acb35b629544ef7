import type { UserResource } from '@latchkey/js';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Field } from '../../ui/field.js';
import { placeError, type PlacedError } from '../../ui/placed-error.js';
import type { UI } from '../../ui/use-ui.js';
import { useNotice, Notice } from './notice.js';

type Key = 'username' | 'emailAddress';
const FIELDS: Record<string, Key> = { username: 'username', email_address: 'emailAddress' };

/** Username and email address: shown, and edited in place (the address is set as typed for now). */
export function ProfileSection({ ui, user }: { ui: UI; user: UserResource }): ReactNode {
  const { l } = ui;
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<PlacedError | null>(null);
  const { notice, success, fail, clear } = useNotice();
  const currentEmail = user.primaryEmailAddress?.emailAddress ?? '';

  function edit(): void {
    setUsername(user.username ?? '');
    setEmail(currentEmail);
    setFieldError(null);
    clear();
    setEditing(true);
  }

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const changes: { username?: string; emailAddress?: string } = {};
    if (username.trim() !== (user.username ?? '')) changes.username = username.trim();
    if (email.trim() !== currentEmail) changes.emailAddress = email.trim();
    setFieldError(null);
    clear();
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    setBusy(true);
    try {
      await user.update(changes);
      success(l.userProfile.profileSaved);
      setEditing(false);
    } catch (err) {
      const placed = placeError(err, FIELDS, l);
      if (placed.field) setFieldError(placed);
      else fail(placed.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={ui.cls('section')} aria-labelledby={`${id}-title`} data-testid="user-profile-profile">
      <h2 id={`${id}-title`} className={ui.cls('sectionTitle')}>
        {l.userProfile.profileTitle}
      </h2>
      {editing ? (
        <form onSubmit={(e) => void save(e)} noValidate className={ui.cls('form')}>
          <Field
            ui={ui}
            id={`${id}-username`}
            label={l.userProfile.usernameLabel}
            error={fieldError?.field === 'username' ? fieldError.message : undefined}
            testId="profile-username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <Field
            ui={ui}
            id={`${id}-email`}
            label={l.userProfile.emailLabel}
            error={fieldError?.field === 'emailAddress' ? fieldError.message : undefined}
            testId="profile-email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <div className="lk-row">
            <button type="submit" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button')} data-testid="profile-save">
              {l.userProfile.save}
            </button>
            <button type="button" className={ui.cls('button', 'lk-button')} onClick={() => setEditing(false)} data-testid="profile-cancel">
              {l.userProfile.cancel}
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="lk-details">
            <dt>{l.userProfile.usernameLabel}</dt>
            <dd data-testid="profile-username-value">{user.username ?? l.userProfile.notSet}</dd>
            <dt>{l.userProfile.emailLabel}</dt>
            <dd data-testid="profile-email-value">{currentEmail || l.userProfile.notSet}</dd>
          </dl>
          <button type="button" className={ui.cls('button', 'lk-button')} onClick={edit} data-testid="profile-edit">
            {l.userProfile.edit}
          </button>
        </>
      )}
      <Notice ui={ui} notice={notice} testId="profile" />
    </section>
  );
}
