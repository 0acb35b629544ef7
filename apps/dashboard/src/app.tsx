/**
 * The dashboard: who is signed in decides between the setup page (a one-time link), the sign-in
 * page and the pages themselves, in a frame with a left navigation (a top menu on phones).
 */
import { useEffect, useState } from 'react';
import { api, whenSignedOut } from './api';
import { push, useLocation } from './router';
import { Link } from './ui';
import { AuditPage } from './pages/audit';
import { DomainsPage } from './pages/domains';
import { KeysPage } from './pages/keys';
import { OverviewPage } from './pages/overview';
import { SessionsSettingsPage } from './pages/sessions';
import { SetupPage, SignInPage } from './pages/sign-in';
import { SignInOptionsPage } from './pages/sign-in-options';
import { UserPage, UsersPage } from './pages/users';
import { WebhooksPage } from './pages/webhooks';

export interface Admin {
  id: string;
  name: string;
}

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/sign-in-options', 'Sign-in options'],
  ['/domains', 'Domains'],
  ['/sessions', 'Sessions'],
  ['/users', 'Users'],
  ['/audit', 'Audit log'],
  ['/api-keys', 'API keys'],
  ['/webhooks', 'Webhooks'],
];

export function App() {
  const { path } = useLocation();
  const [admin, setAdmin] = useState<Admin | null | undefined>(undefined);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    whenSignedOut(() => setAdmin(null));
    api<Admin>('GET', '/me').then(setAdmin, () => setAdmin(null));
  }, []);
  useEffect(() => setMenuOpen(false), [path]);

  if (path === '/setup') return <SetupPage onSignedIn={(a) => (setAdmin(a), push('/'))} />;
  if (admin === undefined) return <main className="center">Loading…</main>;
  if (admin === null) return <SignInPage onSignedIn={setAdmin} />;

  const signOut = async () => {
    await api('POST', '/sign_out').catch(() => {});
    setAdmin(null);
  };
  const userId = path.startsWith('/users/') ? decodeURIComponent(path.slice('/users/'.length)) : null;
  const section = userId ? '/users' : path;

  return (
    <div className="layout">
      <header className="sidebar">
        <div className="brand-row">
          <Link to="/" className="brand">
            Latchkey
          </Link>
          <button className="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
            Menu
          </button>
        </div>
        <nav id="nav" className={menuOpen ? 'open' : ''} aria-label="Dashboard">
          {NAV.map(([to, label]) => (
            <Link key={to} to={to} className={section === to ? 'active' : ''}>
              {label}
            </Link>
          ))}
          <div className="who">
            <span>Signed in as {admin.name}</span>
            <button className="link-button" onClick={signOut}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main className="content">
        {userId ? (
          <UserPage id={userId} />
        ) : path === '/' ? (
          <OverviewPage />
        ) : path === '/sign-in-options' ? (
          <SignInOptionsPage />
        ) : path === '/domains' ? (
          <DomainsPage />
        ) : path === '/sessions' ? (
          <SessionsSettingsPage />
        ) : path === '/users' ? (
          <UsersPage />
        ) : path === '/audit' ? (
          <AuditPage />
        ) : path === '/api-keys' ? (
          <KeysPage />
        ) : path === '/webhooks' ? (
          <WebhooksPage />
        ) : (
          <p>
            No such page. <Link to="/">Back to the overview</Link>
          </p>
        )}
      </main>
    </div>
  );
}
