import type { PasskeyResource } from '@latchkey/js';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { UI } from '../../ui/use-ui.js';
import { errorMessage } from '../error-message.js';
import type { useNotice } from './notice.js';

export interface PasskeyRowProps {
  ui: UI;
  passkey: PasskeyResource;
  /** The user's only passkey: deleting it is refused at once, before any confirmation. */
  isLast: boolean;
  /** The section's one message slot. */
  notice: ReturnType<typeof useNotice>;
}

type Mode = 'view' | 'rename' | 'confirm-delete';

function DateCell({ date }: { date: Date }): ReactNode {
  return <time dateTime={date.toISOString()}>{date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}</time>;
}

/** One passkey: its details, inline rename, and delete behind a confirmation step. */
export function PasskeyRow({ ui, passkey, isLast, notice }: PasskeyRowProps): ReactNode {
  const { l, f } = ui;
  const id = useId();
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const renameRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land back on the button that opened a step when they leave it.
  const returnFocus = useRef<'rename' | 'delete' | null>(null);
  useEffect(() => {
    if (mode !== 'view' || !returnFocus.current) return;
    (returnFocus.current === 'rename' ? renameRef : deleteRef).current?.focus();
    returnFocus.current = null;
  }, [mode]);

  const label = passkey.name || l.userProfile.unnamedPasskey;

  function leave(from: 'rename' | 'delete'): void {
    returnFocus.current = from;
    setMode('view');
  }

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      notice.fail(l.userProfile.passkeyNameRequired);
      return;
    }
    setBusy(true);
    try {
      await passkey.update({ name: trimmed });
      notice.success(f(l.userProfile.renamed, { name: trimmed }));
      leave('rename');
    } catch (err) {
      notice.fail(errorMessage(err, l.errors));
    } finally {
      setBusy(false);
    }
  }

  function askDelete(): void {
    // The server refuses it too (passkey_last_remaining); saying so before the confirmation
    // spares the user a question whose only answer fails.
    if (isLast) {
      notice.fail(f(l.userProfile.lastPasskey, { name: label }));
      return;
    }
    notice.clear();
    setMode('confirm-delete');
  }

  async function remove(): Promise<void> {
    setBusy(true);
    try {
      await passkey.delete();
      notice.success(f(l.userProfile.deleted, { name: label }));
      // The row unmounts with the refreshed user; nothing to reset.
    } catch (err) {
      notice.fail(errorMessage(err, l.errors));
      setBusy(false);
    }
  }

  function onRenameKey(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') leave('rename');
  }

  const button = ui.cls('button', 'lk-button');
  return (
    <li className={ui.cls('listItem', 'latchkey-passkey')} data-testid="passkey-item" data-passkey-id={passkey.id}>
      {mode === 'rename' ? (
        <form onSubmit={(e) => void save(e)} aria-label={f(l.userProfile.renameLabel, { name: label })} className="lk-inline-form">
          <div className={ui.cls('formField')}>
            <label htmlFor={`${id}-name`} className={ui.cls('formFieldLabel')}>
              {l.userProfile.passkeyName}
            </label>
            <input
              id={`${id}-name`}
              className={ui.cls('formFieldInput')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={onRenameKey}
              maxLength={64}
              autoFocus
              data-testid="passkey-rename-input"
            />
          </div>
          <button type="submit" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button')} data-testid="passkey-rename-save">
            {l.userProfile.save}
          </button>
          <button type="button" className={button} onClick={() => leave('rename')} data-testid="passkey-rename-cancel">
            {l.userProfile.cancel}
          </button>
        </form>
      ) : (
        <strong className="lk-name latchkey-passkey-name" data-testid="passkey-name">
          {label}
        </strong>
      )}
      <dl className="lk-details">
        <dt>{l.userProfile.provider}</dt>
        <dd data-testid="passkey-provider">{passkey.providerName ?? l.userProfile.unknown}</dd>
        <dt>{l.userProfile.created}</dt>
        <dd data-testid="passkey-created">
          <DateCell date={passkey.createdAt} />
        </dd>
        <dt>{l.userProfile.lastUsed}</dt>
        <dd data-testid="passkey-last-used">{passkey.lastUsedAt ? <DateCell date={passkey.lastUsedAt} /> : l.userProfile.never}</dd>
      </dl>
      {mode === 'view' && (
        <div className="lk-row">
          <button
            ref={renameRef}
            type="button"
            className={button}
            aria-label={f(l.userProfile.renameLabel, { name: label })}
            onClick={() => {
              setName(passkey.name ?? '');
              setMode('rename');
            }}
            data-testid="passkey-rename"
          >
            {l.userProfile.rename}
          </button>
          <button ref={deleteRef} type="button" className={button} aria-label={f(l.userProfile.deleteLabel, { name: label })} onClick={askDelete} data-testid="passkey-delete">
            {l.userProfile.delete}
          </button>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div role="group" aria-labelledby={`${id}-confirm`} className="lk-row lk-confirm">
          <p id={`${id}-confirm`}>{f(l.userProfile.confirmDelete, { name: label })}</p>
          <button type="button" disabled={busy} className={ui.cls('buttonDanger', 'lk-button')} onClick={() => void remove()} data-testid="passkey-delete-confirm">
            {l.userProfile.deletePasskey}
          </button>
          {/* Focus starts on the harmless choice. */}
          <button type="button" autoFocus className={button} onClick={() => leave('delete')} data-testid="passkey-delete-cancel">
            {l.userProfile.cancel}
          </button>
        </div>
      )}
    </li>
  );
}
