// An app developer's page: the provider, the sign-up and sign-in hooks, and a call to the app's
// own API with the session token. Everything comes from the installed @latchkey/react.
import { LatchkeyProvider, SignedIn, SignedOut, useAuth, useSignIn, useSignUp, useUser } from '@latchkey/react';
import { type FormEvent, useState } from 'react';
import { createRoot } from 'react-dom/client';

declare const __LATCHKEY_URL__: string;

function SignUpForm() {
  const { isLoaded, signUp, setActive } = useSignUp();
  const [username, setUsername] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const attempt = await signUp!.createWithPasskey({ username });
      if (attempt.status === 'complete') await setActive({ session: attempt.createdSessionId });
    } catch (err) {
      setError(JSON.stringify(err));
    }
  };
  return (
    <form onSubmit={submit}>
      <label>
        Username <input value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <button type="submit" disabled={!isLoaded}>
        Sign up with a passkey
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function SignInButton() {
  const { isLoaded, signIn, setActive } = useSignIn();
  const signInWithPasskey = async () => {
    const attempt = await signIn!.authenticateWithPasskey({ flow: 'discoverable' });
    if (attempt.status === 'complete') await setActive({ session: attempt.createdSessionId });
  };
  return (
    <button onClick={signInWithPasskey} disabled={!isLoaded}>
      Sign in with a passkey
    </button>
  );
}

function Account() {
  const { user } = useUser();
  const { getToken, signOut } = useAuth();
  const [api, setApi] = useState('');
  const callApi = async () => {
    const res = await fetch('/api/me', { headers: { Authorization: `Bearer ${await getToken()}` } });
    setApi(`${res.status} ${JSON.stringify(await res.json())}`);
  };
  return (
    <div>
      <p data-testid="signed-in">Signed in as {user?.username}</p>
      <button onClick={callApi}>Call the API</button>
      <button onClick={() => signOut()}>Sign out</button>
      {api && <p data-testid="api">{api}</p>}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <LatchkeyProvider frontendApi={__LATCHKEY_URL__}>
    <SignedOut>
      <p data-testid="signed-out">Signed out</p>
      <SignUpForm />
      <SignInButton />
    </SignedOut>
    <SignedIn>
      <Account />
    </SignedIn>
  </LatchkeyProvider>,
);
