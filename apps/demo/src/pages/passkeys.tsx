import { SignedIn, SignedOut, UserProfile } from '@latchkey/react';
import type { ReactNode } from 'react';
import { CreatePasskeyButton } from '../guide/create-passkey-button';
import { DeletePasskeyUI } from '../guide/delete-passkey';
import { RenamePasskeyUI } from '../guide/rename-passkey';
import { Link } from '../link';

function GuideSection({ id, title, children }: { id: string; title: string; children: ReactNode }): ReactNode {
  return (
    <section className="guide" data-testid={`guide-${id}`} aria-labelledby={`guide-${id}-title`}>
      <h3 id={`guide-${id}-title`}>{title}</h3>
      {children}
    </section>
  );
}

export function PasskeysPage(): ReactNode {
  return (
    <>
      <SignedOut>
        <section className="card narrow">
          <p>
            <Link to="/sign-in">Sign in</Link> to manage your passkeys.
          </p>
        </section>
      </SignedOut>
      <SignedIn>
        <h1 className="page-title">Manage passkeys</h1>
        <div className="columns">
          <section aria-label="Prebuilt component">
            <UserProfile sections={['passkeys']} />
          </section>
          <section className="card" aria-labelledby="custom-title">
            <h2 id="custom-title">Custom flow</h2>
            <p className="hint">The guide's components, as written. They report errors with console.error.</p>
            <GuideSection id="create" title="Create">
              <CreatePasskeyButton />
            </GuideSection>
            <GuideSection id="rename" title="Rename">
              <RenamePasskeyUI />
            </GuideSection>
            <GuideSection id="delete" title="Delete">
              <DeletePasskeyUI />
            </GuideSection>
          </section>
        </div>
      </SignedIn>
    </>
  );
}
