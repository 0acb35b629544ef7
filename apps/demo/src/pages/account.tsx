import { SignedIn, SignedOut, UserProfile } from '@latchkey/react';
import type { ReactNode } from 'react';
import { Link } from '../link';
import { push } from '../router';

/** The prebuilt `<UserProfile />`: profile, active devices, passkeys, delete account. */
export function AccountPage(): ReactNode {
  return (
    <>
      <SignedOut>
        <section className="card narrow">
          <p>
            <Link to="/sign-in">Sign in</Link> to manage your account.
          </p>
        </section>
      </SignedOut>
      <SignedIn>
        <h1 className="page-title">Your account</h1>
        <UserProfile afterDelete={() => push('/')} />
      </SignedIn>
    </>
  );
}
