/**
 * The demo: the server that serves this page is also its Latchkey instance, so the frontend API
 * is this page's own origin.
 */
import { LatchkeyProvider, SignedIn, SignedOut, UserButton, useLatchkey } from '@latchkey/react';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from './link';
import { AccountPage } from './pages/account';
import { ApiDemoPage } from './pages/api-demo';
import { BrandingPage } from './pages/branding';
import { HomePage } from './pages/home';
import { PasskeysPage } from './pages/passkeys';
import { SignInPage } from './pages/sign-in';
import { SignUpPage } from './pages/sign-up';
import { push, useLocation } from './router';

const pages: Record<string, () => ReactNode> = {
  '/': HomePage,
  '/sign-up': SignUpPage,
  '/sign-in': SignInPage,
  '/account': AccountPage,
  '/passkeys': PasskeysPage,
  '/api-demo': ApiDemoPage,
  '/branding': BrandingPage,
};

/**
 * At phone width the links fold behind a menu button (the header would otherwise wrap into
 * several lines and push the user button off screen); any navigation folds them again.
 */
function Header(): ReactNode {
  const appName = useLatchkey().environment?.displayConfig.applicationName ?? 'Latchkey';
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  return (
    <header className="site-header" data-menu-open={menuOpen ? 'true' : 'false'}>
      <a className="brand" href="/">
        {appName} demo
      </a>
      <button
        type="button"
        className="menu-toggle secondary"
        aria-expanded={menuOpen}
        aria-controls="main-nav"
        onClick={() => setMenuOpen((o) => !o)}
        data-testid="menu-toggle"
      >
        Menu
      </button>
      <nav id="main-nav" aria-label="Main" data-testid="main-nav">
        <Link to="/">Home</Link>
        <SignedOut>
          <Link to="/sign-up">Sign up</Link>
          <Link to="/sign-in">Sign in</Link>
        </SignedOut>
        <SignedIn>
          <Link to="/account">Account</Link>
          <Link to="/passkeys">Passkeys</Link>
        </SignedIn>
        <Link to="/api-demo">API demo</Link>
        <Link to="/branding">Branding</Link>
      </nav>
      <div className="header-user">
        <UserButton />
      </div>
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
    <LatchkeyProvider
      frontendApi={window.location.origin}
      routerPush={push}
      signInUrl="/sign-in"
      signUpUrl="/sign-up"
      userProfileUrl="/account"
      afterSignOutUrl="/"
    >
      <Header />
      <main>
        <Page />
      </main>
    </LatchkeyProvider>
  );
}
