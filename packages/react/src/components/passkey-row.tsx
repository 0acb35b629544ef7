import type { PasskeyResource } from '@latchkey/js';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { errorMessage } from './error-message.js';

export interface PasskeyRowProps {
  passkey: PasskeyResource;
  /** Reports an error sentence ('' clears it) to the section's live region. */
  onError: (message: string) => void;
  /** Reports a success sentence to the section's status region. */
  onStatus: (message: string) => void;
}

type Mode = 'view' | 'rename' | 'confirm-delete';

function DateCell({ date }: { date: Date }): ReactNode {
  return <time dateTime={date.toISOString()}>{date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}</time>;
}

/** One passkey: its details, inline rename, and delete behind a confirmation step. */
export function PasskeyRow({ passkey, onError, onStatus }: PasskeyRowProps): ReactNode {
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

  const label = passkey.name || 'Unnamed passkey';

  function leave(from: 'rename' | 'delete'): void {
    returnFocus.current = from;
    setMode('view');
  }

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      onError('Enter a name for the passkey.');
      return;
    }
    setBusy(true);
    try {
      await passkey.update({ name: trimmed });
      onError('');
      onStatus(`Renamed the passkey to “${trimmed}”.`);
      leave('rename');
    } catch (err) {
      onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(): Promise<void> {
    setBusy(true);
    try {
      await passkey.delete();
      onError('');
      onStatus(`Deleted the passkey “${label}”.`);
      // The row unmounts with the refreshed user; nothing to reset.
    } catch (err) {
      onError(errorMessage(err));
      setBusy(false);
    }
  }

  function onRenameKey(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') leave('rename');
  }

  return (
    <li className="latchkey-passkey" data-testid="passkey-item" data-passkey-id={passkey.id}>
      {mode === 'rename' ? (
        <form onSubmit={(e) => void save(e)} aria-label={`Rename ${label}`}>
          <label htmlFor={`${id}-name`}>Passkey name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onRenameKey}
            maxLength={64}
            autoFocus
            data-testid="passkey-rename-input"
          />
          <button type="submit" disabled={busy} data-testid="passkey-rename-save">
            Save
          </button>
          <button type="button" onClick={() => leave('rename')} data-testid="passkey-rename-cancel">
            Cancel
          </button>
        </form>
      ) : (
        <strong className="latchkey-passkey-name" data-testid="passkey-name">
          {label}
        </strong>
      )}
      <dl>
        <dt>Provider</dt>
        <dd data-testid="passkey-provider">{passkey.providerName ?? 'Unknown'}</dd>
        <dt>Created</dt>
        <dd data-testid="passkey-created">
          <DateCell date={passkey.createdAt} />
        </dd>
        <dt>Last used</dt>
        <dd data-testid="passkey-last-used">{passkey.lastUsedAt ? <DateCell date={passkey.lastUsedAt} /> : 'Never'}</dd>
      </dl>
      {mode === 'view' && (
        <div className="latchkey-passkey-actions">
          <button
            ref={renameRef}
            type="button"
            aria-label={`Rename ${label}`}
            onClick={() => {
              setName(passkey.name ?? '');
              setMode('rename');
            }}
            data-testid="passkey-rename"
          >
            Rename
          </button>
          <button ref={deleteRef} type="button" aria-label={`Delete ${label}`} onClick={() => setMode('confirm-delete')} data-testid="passkey-delete">
            Delete
          </button>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div role="group" aria-labelledby={`${id}-confirm`} className="latchkey-passkey-confirm">
          <p id={`${id}-confirm`}>Delete “{label}”? You will no longer be able to sign in with it.</p>
          <button type="button" disabled={busy} onClick={() => void remove()} data-testid="passkey-delete-confirm">
            Delete passkey
          </button>
          {/* Focus starts on the harmless choice. */}
          <button type="button" autoFocus onClick={() => leave('delete')} data-testid="passkey-delete-cancel">
            Cancel
          </button>
        </div>
      )}
    </li>
  );
}
