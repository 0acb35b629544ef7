import { useId, useState, type ReactNode } from 'react';
import { useUser } from '../hooks.js';
import { errorMessage } from './error-message.js';
import { PasskeyRow } from './passkey-row.js';

/** The passkey section of the account page: list, add, rename, delete. */
export function UserProfile(): ReactNode {
  const { isLoaded, isSignedIn, user } = useUser();
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');

  if (!isLoaded) {
    return <section className="latchkey-user-profile" aria-busy="true" data-testid="user-profile-loading">Loading…</section>;
  }
  if (!isSignedIn) {
    return (
      <section className="latchkey-user-profile" data-testid="user-profile-signed-out">
        <p>Sign in to manage your passkeys.</p>
      </section>
    );
  }

  async function add(): Promise<void> {
    setAdding(true);
    setError('');
    setStatus('');
    try {
      const passkey = await user!.createPasskey();
      setStatus(`Added the passkey “${passkey.name || 'Unnamed passkey'}”.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setAdding(false);
    }
  }

  // A registration the user abandoned can leave an unverified passkey behind; it cannot sign in.
  const passkeys = user.passkeys.filter((p) => p.verification?.status !== 'unverified');
  return (
    <section className="latchkey-user-profile" aria-labelledby={`${id}-title`} data-testid="user-profile-passkeys">
      <h2 id={`${id}-title`}>Passkeys</h2>
      {passkeys.length === 0 ? (
        <p data-testid="passkey-empty">You have no passkeys yet.</p>
      ) : (
        <ul className="latchkey-passkey-list" data-testid="passkey-list">
          {passkeys.map((passkey) => (
            <PasskeyRow key={passkey.id} passkey={passkey} onError={setError} onStatus={setStatus} />
          ))}
        </ul>
      )}
      <button type="button" disabled={adding} onClick={() => void add()} data-testid="passkey-add">
        Add a passkey
      </button>
      <p className="latchkey-status" role="status" data-testid="passkey-status">
        {adding ? 'Waiting for your passkey…' : status}
      </p>
      <p className="latchkey-error" role="alert" aria-live="assertive" data-testid="passkey-error">
        {error}
      </p>
    </section>
  );
}
