/** Signed out: the one-time setup/invitation page, and passkey sign-in. */
import { useEffect, useState } from 'react';
import { api, createPasskey, getPasskey } from '../api';
import type { Admin } from '../app';
import { useLocation } from '../router';
import { Link, Notice } from '../ui';

export function SetupPage({ onSignedIn }: { onSignedIn: (a: Admin) => void }) {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [valid, setValid] = useState<boolean | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ valid: boolean }>('GET', `/setup?token=${encodeURIComponent(token)}`).then(
      (r) => setValid(r.valid),
      () => setValid(false),
    );
  }, [token]);

  const register = async () => {
    setBusy(true);
    setError(null);
    try {
      const { ceremony_id, options } = await api('POST', '/setup/options', { token, name });
      const credential = await createPasskey(options);
      onSignedIn(await api<Admin>('POST', '/setup/verify', { token, name, ceremony_id, public_key_credential: credential }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="center">
      <div className="card narrow">
        <h1>Set up your administrator passkey</h1>
        {valid === null && <p>Checking the link…</p>}
        {valid === false && (
          <>
            <p className="notice error" role="alert">
              This link does not work: it has been used, has expired (links last one hour) or was never issued.
            </p>
            <p>
              Ask an administrator for an invitation, or run <code>latchkey admin invite</code> on the server. Already an administrator?{' '}
              <Link to="/">Sign in</Link>.
            </p>
          </>
        )}
        {valid && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void register();
            }}
          >
            <p>This one-time link makes you an administrator of this Latchkey server. You sign in with a passkey — no password.</p>
            <label>
              Your name
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoComplete="name" />
            </label>
            <button type="submit" className="primary" disabled={busy || !name.trim()}>
              {busy ? 'Waiting for your passkey…' : 'Create passkey'}
            </button>
            <Notice error={error} />
          </form>
        )}
      </div>
    </main>
  );
}

export function SignInPage({ onSignedIn }: { onSignedIn: (a: Admin) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const { ceremony_id, options } = await api('POST', '/sign_in/options');
      const credential = await getPasskey(options);
      onSignedIn(await api<Admin>('POST', '/sign_in/verify', { ceremony_id, public_key_credential: credential }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="center">
      <div className="card narrow">
        <h1>Latchkey dashboard</h1>
        <p>Administrators sign in with their passkey.</p>
        <button className="primary" onClick={signIn} disabled={busy}>
          {busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
        </button>
        <Notice error={error} />
        <p className="muted">
          No administrator passkey yet? Open the setup link the server printed at its first start, or an invitation (<code>latchkey admin invite</code>).
        </p>
      </div>
    </main>
  );
}
