/**
 * The Clerk test page for e2e/clerk-sdk.test.ts: Clerk's own SDKs from npm, bundled (never loaded from a
 * CDN), pointed at the Latchkey that serves this page through `proxyUrl: <origin>/__clerk`.
 *
 * `?sdk=clerk-js` loads a bare `Clerk` instance and leaves it on `window.clerk` for the test to
 * drive. `?sdk=react` renders `@clerk/react`'s provider in bundled mode (`Clerk={Clerk}`) with a
 * custom flow written for Core 3: `useSignIn()` → `signIn.passkey()` + `signIn.finalize()`.
 * Telemetry is off: otherwise a development instance posts events to clerk-telemetry.com, which
 * the test refuses (no request may leave the test's own host).
 */
import { Clerk } from '@clerk/clerk-js';
import { ClerkProvider, useSignIn, useUser } from '@clerk/react';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

declare global {
  interface Window {
    clerk?: Clerk;
    clerkLoadError?: string;
    latchkeySignUp(username: string): Promise<string>;
  }
}

const query = new URLSearchParams(location.search);
const publishableKey = query.get('pk') ?? '';
const proxyUrl = `${location.origin}/__clerk`;

/**
 * Clerk's SDK has no passkey sign-up, so the page signs up with Latchkey's three requests
 * (docs/clerk-sdk.md): create, prepare (creation options), attempt (the new credential).
 * Returns the new session's id; the `__client` cookie now holds it.
 */
window.latchkeySignUp = async (username) => {
  const post = async (path: string, body: Record<string, string>) => {
    const res = await fetch(`${proxyUrl}/v1${path}`, { method: 'POST', credentials: 'include', body: new URLSearchParams(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
    return json.response;
  };
  const created = await post('/client/sign_ups', { username });
  const prepared = await post(`/client/sign_ups/${created.id}/prepare_verification`, { strategy: 'passkey' });
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(prepared.verifications.passkey.nonce));
  const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
  const done = await post(`/client/sign_ups/${created.id}/attempt_verification`, {
    strategy: 'passkey',
    public_key_credential: JSON.stringify(credential.toJSON()),
  });
  return done.created_session_id;
};

/** Core 3's custom passkey sign-in, as Clerk's docs write it. */
function PasskeySignIn() {
  const { signIn, errors, fetchStatus } = useSignIn();
  const [done, setDone] = useState<string | null>(null);
  const run = async () => {
    const { error } = await signIn.passkey({ flow: 'discoverable' });
    if (error) return setDone(`error: ${error.message}`);
    if (signIn.status === 'complete') {
      const finalized = await signIn.finalize({ navigate: async () => setDone('navigated') });
      if (finalized.error) setDone(`error: ${finalized.error.message}`);
    } else {
      setDone(`status: ${signIn.status}`);
    }
  };
  return (
    <div>
      <button data-testid="passkey-sign-in" disabled={fetchStatus === 'fetching'} onClick={() => void run()}>
        Sign in with a passkey
      </button>
      <p data-testid="fetch-status">{fetchStatus}</p>
      <p data-testid="outcome">{done ?? ''}</p>
      <p data-testid="global-error">{errors.global?.map((e) => e.message).join(' ') ?? ''}</p>
    </div>
  );
}

function Who() {
  const { isLoaded, isSignedIn, user } = useUser();
  if (!isLoaded) return <p data-testid="who">loading</p>;
  return <p data-testid="who">{isSignedIn ? `signed in as ${user.username}` : 'signed out'}</p>;
}

if (query.get('sdk') === 'react') {
  createRoot(document.getElementById('root')!).render(
    <ClerkProvider Clerk={Clerk} publishableKey={publishableKey} proxyUrl={proxyUrl} telemetry={false}>
      <Who />
      <PasskeySignIn />
    </ClerkProvider>,
  );
} else {
  const clerk = new Clerk(publishableKey, { proxyUrl });
  window.clerk = clerk;
  clerk.load({ telemetry: false }).then(
    () => document.body.setAttribute('data-clerk', 'loaded'),
    (err: unknown) => {
      window.clerkLoadError = String(err);
      document.body.setAttribute('data-clerk', 'failed');
    },
  );
}
