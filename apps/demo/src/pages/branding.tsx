import { SignIn, SignUp, type Appearance, type LatchkeyLocalization } from '@latchkey/react';
import type { ReactNode } from 'react';

/** `appearance` (variables and element classes) and `localization`, on the prebuilt components. */
const appearance: Appearance = {
  variables: { colorPrimary: '#7c3aed', borderRadius: '18px', fontFamily: 'Georgia, serif', colorBackground: '#fbf8ff' },
  elements: { formButtonPrimary: 'demo-shout' },
};

const german: LatchkeyLocalization = {
  signIn: {
    title: 'Bei {{applicationName}} anmelden',
    subtitle: 'Willkommen zurück. Melden Sie sich mit Ihrem Passkey an.',
    identifierLabel: 'Benutzername oder E-Mail-Adresse',
    identifierRequired: 'Bitte Benutzernamen oder E-Mail-Adresse eingeben.',
    continue: 'Weiter',
    divider: 'oder',
    passkeyButton: 'Mit Passkey anmelden',
    footerText: 'Noch kein Konto?',
    footerLink: 'Registrieren',
  },
};

export function BrandingPage(): ReactNode {
  return (
    <>
      <h1 className="page-title">Branding</h1>
      <div className="branding">
        <div data-testid="branded">
          <SignUp appearance={appearance} />
        </div>
        <div data-testid="localized">
          <SignIn autofill={false} localization={german} />
        </div>
      </div>
    </>
  );
}
