/**
 * The demo: the server that serves this page is also its Latchkey instance, so the frontend API
 * is this page's own origin.
 */
import { LatchkeyProvider, SignedIn, useAuth, useLatchkey } from '@latchkey/react';
import type { ReactNode } from 'react';
import { Link } from './link';
import { ApiDemoPage } from './pages/api-demo';
import { HomePage } from './pages/home';
import { PasskeysPage } from './pages/passkeys';
import { SignInPage } from './pages/sign-in';
import { SignUpPage } from './pages/sign-up';
import { push, useLocation } from './router';

const pages: Record<string, () => ReactNode> = {
  '/': HomePage,
  '/sign-up': SignUpPage,
  '/sign-in': SignInPage,
  '/passkeys': PasskeysPage,
  '/api-demo': ApiDemoPage,
};

function SignOutButton(): ReactNode {
  const { signOut } = useAuth();
  return (
    <button
      type="button"
      className="secondary"
      onClick={async () => {
        await signOut();
        push('/');
      }}
    >
      Sign out
    </button>
  );
}

function Header(): ReactNode {
  const appName = useLatchkey().environment?.displayConfig.applicationName ?? 'Latchkey';
  return (
    <header className="site-header">
      <a className="brand" href="/">
        {appName} demo
      </a>
      <nav aria-label="Main">
        <Link to="/">Home</Link>
        <Link to="/sign-up">Sign up</Link>
        <Link to="/sign-in">Sign in</Link>
        <Link to="/passkeys">Passkeys</Link>
        <Link to="/api-demo">API demo</Link>
      </nav>
      <SignedIn>
        <SignOutButton />
      </SignedIn>
    </header>
  );
}

function NotFound(): ReactNode {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}

export function App(): ReactNode {
  const { pathname } = useLocation();
  const Page = pages[pathname] ?? NotFound;
  return (
    <LatchkeyProvider frontendApi={window.location.origin}>
      <Header />
      <main>
        <Page />
      </main>
    </LatchkeyProvider>
  );
}
