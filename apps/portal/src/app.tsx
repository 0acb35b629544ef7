/**
 * The hosted account portal: sign in, sign up and manage the account (passkeys, devices, delete),
 * built from @latchkey/react's prebuilt components and themed by the instance's settings. It is
 * served by the Latchkey server itself, so the frontend API is this page's own origin.
 */
import { LatchkeyProvider, SignIn, SignUp, UserButton, UserProfile, useAuth, useLatchkey, type Appearance } from '@latchkey/react';
import { useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useRedirect, type RedirectCheck } from './redirect';
import { pageOf, pageUrl, push, replace, useLocation, type PageName } from './router';
import { appearanceOf, textOn } from './theme';

const TITLES: Record<PageName, string> = { 'sign-in': 'Sign in', 'sign-up': 'Sign up', user: 'Your account' };

export function App(): ReactNode {
  return (
    <LatchkeyProvider
      frontendApi={window.location.origin}
      routerPush={push}
      signInUrl={pageUrl('sign-in')}
      signUpUrl={pageUrl('sign-up')}
      userProfileUrl={pageUrl('user')}
      afterSignOutUrl={pageUrl('sign-in')}
    >
      <Portal />
    </LatchkeyProvider>
  );
}

function Portal(): ReactNode {
  const display = useLatchkey().environment?.displayConfig;
  // Re-render when the environment arrives: it loads together with the client.
  useAuth();
  const { pathname } = useLocation();
  const page = pageOf(pathname);
  const appName = display?.applicationName || 'Account';
  const brand = display?.brandColor ?? null;
  const background = display?.backgroundColor ?? null;
  const appearance = useMemo(() => appearanceOf(brand), [brand]);

  useEffect(() => {
    document.title = `${page ? TITLES[page] : 'Not found'} · ${appName}`;
  }, [page, appName]);
  useEffect(() => {
    // CSSOM, not markup: the page's CSP allows no inline <style> from data.
    const root = document.documentElement.style;
    if (background) root.setProperty('--portal-page', background);
    else root.removeProperty('--portal-page');
    if (brand) {
      root.setProperty('--portal-brand', brand);
      root.setProperty('--portal-on-brand', textOn(brand));
    } else {
      root.removeProperty('--portal-brand');
      root.removeProperty('--portal-on-brand');
    }
  }, [background, brand]);

  return (
    <div className="portal" data-testid="portal">
      <header className="portal-header">
        <span className="portal-name" data-testid="portal-app-name">
          {appName}
        </span>
        <UserButton appearance={appearance} />
      </header>
      <main className={page === 'user' ? 'portal-main wide' : 'portal-main'}>
        {page === 'sign-in' && <SignInPage appearance={appearance} />}
        {page === 'sign-up' && <SignUpPage appearance={appearance} />}
        {page === 'user' && <UserPage appearance={appearance} />}
        {page === null && (
          <section className="portal-card">
            <h1>Page not found</h1>
            <p>
              <a href={pageUrl('user')}>Go to your account</a>
            </p>
          </section>
        )}
      </main>
    </div>
  );
}

/** The notice for a `redirect_url` the server refused: no redirect will happen, and why. */
function RedirectRefused({ state }: { state: RedirectCheck }): ReactNode {
  if (state.kind !== 'refused') return null;
  return (
    <div className="portal-refused" role="alert" data-testid="portal-redirect-refused">
      <strong>You will not be sent back to the address in this link.</strong>
      <p>
        It points to <code data-testid="portal-redirect-given">{state.given}</code>, which is not one of this service's applications. You can still use your account here.
      </p>
      <p className="portal-detail">{state.message}</p>
    </div>
  );
}

/**
 * Leaving after sign-in or sign-up: to the checked `redirect_url` if the server allowed it, else
 * to the account page. Once only, whichever of the component's callback and the signed-in
 * state comes first.
 */
function useLeave(settled: Promise<RedirectCheck>): () => Promise<void> {
  const left = useRef(false);
  return useCallback(async () => {
    if (left.current) return;
    left.current = true;
    const check = await settled;
    if (check.kind === 'allowed') window.location.assign(check.url);
    else push(pageUrl('user'));
  }, [settled]);
}

function AuthPage({ kind, appearance }: { kind: 'sign-in' | 'sign-up'; appearance: Appearance | undefined }): ReactNode {
  const { search } = useLocation();
  const { isLoaded, isSignedIn } = useAuth();
  const redirect = useRedirect(search);
  const leave = useLeave(redirect.settled);
  const refused = redirect.state.kind === 'refused';
  // Already signed in: straight on (a refused address keeps the user here, with the notice).
  useEffect(() => {
    if (isLoaded && isSignedIn && !refused && redirect.state.kind !== 'checking') void leave();
  }, [isLoaded, isSignedIn, refused, redirect.state.kind, leave]);

  if (isSignedIn && refused) {
    return (
      <>
        <RedirectRefused state={redirect.state} />
        <section className="portal-card">
          <p>You are signed in.</p>
          <a className="portal-button" href={pageUrl('user')} data-testid="portal-go-user">
            Go to your account
          </a>
        </section>
      </>
    );
  }
  return (
    <>
      <RedirectRefused state={redirect.state} />
      {kind === 'sign-in' ? (
        <SignIn appearance={appearance} signUpUrl={pageUrl('sign-up', redirect.given)} afterSignIn={() => void leave()} />
      ) : (
        <SignUp appearance={appearance} signInUrl={pageUrl('sign-in', redirect.given)} afterSignUp={() => void leave()} />
      )}
    </>
  );
}

const SignInPage = ({ appearance }: { appearance: Appearance | undefined }) => <AuthPage kind="sign-in" appearance={appearance} />;
const SignUpPage = ({ appearance }: { appearance: Appearance | undefined }) => <AuthPage kind="sign-up" appearance={appearance} />;

function UserPage({ appearance }: { appearance: Appearance | undefined }): ReactNode {
  const { search } = useLocation();
  const { isLoaded, isSignedIn } = useAuth();
  const redirect = useRedirect(search);
  useEffect(() => {
    if (isLoaded && !isSignedIn) replace(pageUrl('sign-in', redirect.given));
  }, [isLoaded, isSignedIn, redirect.given]);
  const back = redirect.state.kind === 'allowed' ? redirect.state.url : null;
  return (
    <>
      <RedirectRefused state={redirect.state} />
      <div className="portal-title-row">
        <h1>Your account</h1>
        {back && (
          <a className="portal-back" href={back} data-testid="portal-back">
            Back to {new URL(back).host}
          </a>
        )}
      </div>
      <UserProfile appearance={appearance} afterDelete={() => replace(pageUrl('sign-up'))} />
    </>
  );
}
