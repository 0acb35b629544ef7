import { SignedIn, SignedOut, useUser } from '@latchkey/react';
import type { ReactNode } from 'react';
import { Link } from '../link';

function Greeting(): ReactNode {
  const { user } = useUser();
  const name = user?.username ?? user?.primaryEmailAddress?.emailAddress ?? user?.id;
  return <p data-testid="signed-in-as">Signed in as {name}</p>;
}

export function HomePage(): ReactNode {
  return (
    <section className="card">
      <h1>Passkeys, self-hosted</h1>
      <SignedIn>
        <Greeting />
        <ul className="links">
          <li>
            <Link to="/account">Manage your account</Link>
          </li>
          <li>
            <Link to="/passkeys">Manage your passkeys</Link>
          </li>
          <li>
            <Link to="/api-demo">Call an API with your session token</Link>
          </li>
        </ul>
      </SignedIn>
      <SignedOut>
        <p data-testid="signed-out">You are signed out.</p>
        <ul className="links">
          <li>
            <Link to="/sign-up">Create an account with a passkey</Link>
          </li>
          <li>
            <Link to="/sign-in">Sign in with a passkey</Link>
          </li>
        </ul>
      </SignedOut>
    </section>
  );
}
