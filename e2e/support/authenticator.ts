/**
 * Chromium's CDP virtual authenticators. Facts that shape these helpers (DESIGN.md "Testing"):
 * an authenticator belongs to one page and must exist before navigating; it holds at most three
 * discoverable credentials; `getCredentials` returns base64 (not base64url) fields and the private
 * key, so a credential can be moved to a fresh authenticator.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export interface AuthenticatorOptions {
  isUserVerified?: boolean;
}

export class VirtualAuthenticators {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(context: BrowserContext, page: Page): Promise<VirtualAuthenticators> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new VirtualAuthenticators(cdp);
  }

  /** A platform passkey provider: CTAP2, internal, resident keys, user verification that succeeds. */
  async add(o: AuthenticatorOptions = {}): Promise<string> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: o.isUserVerified ?? true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  }

  async remove(authenticatorId: string): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  }

  /** false makes the next ceremony's user verification fail, as when the user cancels. */
  async setUserVerified(authenticatorId: string, isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
  }

  async credentials(authenticatorId: string): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials;
  }

  /** Forgets every credential of the authenticator: the user's passkeys on it are gone (a lost device). */
  async clearCredentials(authenticatorId: string): Promise<void> {
    await this.cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  }

  async addCredential(authenticatorId: string, credential: VirtualCredential): Promise<void> {
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
  }
}
