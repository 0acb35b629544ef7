/**
 * The passkey custom-flow guide's components as Clerk's Core 3 writes them, on @latchkey/react:
 * `useSignIn()` → `signIn.passkey({ flow })` + `signIn.finalize({ navigate })`, `useUser()` for
 * creating, renaming and deleting passkeys — plus the legacy hook from `@latchkey/react/legacy`.
 * Only the imports differ from code written for `@clerk/react` (and `@clerk/react/legacy`).
 */
import { LatchkeyProvider, useAuth, useSignIn, useSignUp, useUser } from '@latchkey/react';
import { useSignIn as useLegacySignIn } from '@latchkey/react/legacy';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

const query = new URLSearchParams(location.search);

function SignInWithPasskeyButton() {
  const { signIn, errors, fetchStatus } = useSignIn();
  const [navigated, setNavigated] = useState(false);
  const signInWithPasskey = async () => {
    const { error } = await signIn.passkey({ flow: 'discoverable' });
    if (error) return;
    if (signIn.status === 'complete') {
      await signIn.finalize({ navigate: async () => setNavigated(true) });
    }
  };
  return (
    <div>
      <button data-testid="core3-sign-in" disabled={fetchStatus === 'fetching'} onClick={() => void signInWithPasskey()}>
        Sign in with a passkey
      </button>
      <p data-testid="core3-errors">{errors.global?.map((e) => `${e.code}: ${e.longMessage ?? e.message}`).join(' ') ?? ''}</p>
      <p data-testid="core3-navigated">{navigated ? 'navigated' : ''}</p>
    </div>
  );
}

/** Autofill: started when the form shows; the browser offers passkeys in the username field. */
function AutofillSignIn() {
  const { signIn } = useSignIn();
  useEffect(() => {
    void signIn.passkey({ flow: 'autofill' }).then(({ error }) => {
      if (!error && signIn.status === 'complete') void signIn.finalize();
    });
  }, [signIn]);
  return <input data-testid="autofill" autoComplete="username webauthn" aria-label="Username" />;
}

function LegacySignInButton() {
  const { isLoaded, signIn, setActive } = useLegacySignIn();
  const signInWithPasskey = async () => {
    if (!isLoaded) return;
    const attempt = await signIn.authenticateWithPasskey({ flow: 'discoverable' });
    if (attempt.status === 'complete') await setActive({ session: attempt.createdSessionId });
  };
  return (
    <button data-testid="legacy-sign-in" onClick={() => void signInWithPasskey()}>
      Sign in (legacy hook)
    </button>
  );
}

function CreatePasskeyButton() {
  const { user } = useUser();
  return (
    <button data-testid="create-passkey" onClick={() => void user?.createPasskey()}>
      Create a passkey
    </button>
  );
}

function Passkeys() {
  const { user } = useUser();
  return (
    <ul>
      {user?.passkeys.map((p) => (
        <li key={p.id} data-testid="passkey">
          <span data-testid="passkey-name">{p.name}</span>
          <button onClick={() => void p.update({ name: `Renamed ${p.name}` })}>Rename</button>
          <button onClick={() => void p.delete()}>Delete</button>
        </li>
      ))}
    </ul>
  );
}

function SignUpButton() {
  const { isLoaded, signUp, setActive } = useSignUp();
  const go = async () => {
    if (!isLoaded) return;
    const done = await signUp.createWithPasskey({ username: query.get('username') ?? 'someone' });
    await setActive({ session: done.createdSessionId });
  };
  return (
    <button data-testid="sign-up" onClick={() => void go()}>
      Sign up with a passkey
    </button>
  );
}

function App() {
  const { isLoaded, isSignedIn, user } = useUser();
  const { signOut } = useAuth();
  if (!isLoaded) return <p data-testid="who">loading</p>;
  if (!isSignedIn) {
    return (
      <>
        <p data-testid="who">signed out</p>
        <SignUpButton />
        <SignInWithPasskeyButton />
        <LegacySignInButton />
        {query.has('autofill') && <AutofillSignIn />}
      </>
    );
  }
  return (
    <>
      <p data-testid="who">signed in as {user.username}</p>
      <CreatePasskeyButton />
      <Passkeys />
      <button data-testid="sign-out" onClick={() => void signOut()}>
        Sign out
      </button>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <LatchkeyProvider frontendApi={location.origin}>
    <App />
  </LatchkeyProvider>,
);
