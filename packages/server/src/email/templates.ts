/**
 * The emails Latchkey sends, as plain text and HTML, named after the application. Pure: the
 * outbox handler renders a message when it delivers it, so a template fixed in a later release
 * applies to mail still waiting.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What each template needs. A code is present only while the message is being delivered. */
export type EmailTemplate =
  | { template: 'sign_up_code'; code: string; expiresInMinutes: number }
  | { template: 'sign_in_code'; code: string; expiresInMinutes: number }
  | SecurityNotice;

/**
 * Queued for a decoy (an email-code sign-in for an unknown identifier) so the request writes what
 * a real one writes, then dropped by the outbox handler: nothing is ever sent for it.
 */
export type DecoyEmail = { template: 'decoy' };

/** Security notices (email/notices.ts): what happened, when, and the account portal to check it. */
export type SecurityNotice = { at: number; portalUrl: string } & (
  | { template: 'passkey_added'; passkeyName: string }
  | { template: 'passkey_deleted'; passkeyName: string }
  | { template: 'recovery_used'; method: string }
  | { template: 'new_device_sign_in'; device: string }
);

export interface Brand {
  applicationName: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(brand: Brand, paragraphs: string[], code?: string, link?: { href: string; label: string }): string {
  const app = escapeHtml(brand.applicationName);
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n');
  const codeBlock = code
    ? `<p style="margin:0 0 16px;font-size:28px;letter-spacing:6px;font-family:ui-monospace,monospace"><strong>${escapeHtml(code)}</strong></p>`
    : '';
  return `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#111;max-width:480px;margin:24px auto;padding:0 16px">
<h1 style="font-size:18px;margin:0 0 16px">${app}</h1>
${codeBlock}
${body}
${link ? `<p style="margin:0 0 16px"><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}
</body></html>`;
}

export function renderEmail(t: EmailTemplate, brand: Brand): RenderedEmail {
  switch (t.template) {
    case 'sign_up_code': {
      const lines = [
        `Enter this code to verify your email address for ${brand.applicationName}. It expires in ${t.expiresInMinutes} minutes.`,
        'If you did not try to sign up, ignore this email: nothing happens without the code.',
      ];
      return {
        subject: `${t.code} is your ${brand.applicationName} verification code`,
        text: `${t.code}\n\n${lines.join('\n\n')}\n`,
        html: layout(brand, lines, t.code),
      };
    }
    case 'sign_in_code': {
      const lines = [
        `Enter this code to sign in to ${brand.applicationName}. It expires in ${t.expiresInMinutes} minutes.`,
        'If you did not try to sign in, ignore this email and do not share the code: nobody gets in without it.',
      ];
      return {
        subject: `${t.code} is your ${brand.applicationName} sign-in code`,
        text: `${t.code}\n\n${lines.join('\n\n')}\n`,
        html: layout(brand, lines, t.code),
      };
    }
    default:
      return renderNotice(t, brand);
  }
}

const NOTICE_SUBJECTS: Record<SecurityNotice['template'], string> = {
  passkey_added: 'A passkey was added to your account',
  passkey_deleted: 'A passkey was removed from your account',
  recovery_used: 'Your account was recovered',
  new_device_sign_in: 'New sign-in to your account',
};

function renderNotice(t: SecurityNotice, brand: Brand): RenderedEmail {
  const when = new Date(t.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const what = (() => {
    switch (t.template) {
      case 'passkey_added':
        return `A passkey named "${t.passkeyName}" was added to your ${brand.applicationName} account on ${when}.`;
      case 'passkey_deleted':
        return `The passkey named "${t.passkeyName}" was removed from your ${brand.applicationName} account on ${when}.`;
      case 'recovery_used':
        return `Someone signed in to your ${brand.applicationName} account with ${t.method} on ${when}.`;
      case 'new_device_sign_in':
        return `Someone signed in to your ${brand.applicationName} account from a new device (${t.device}) on ${when}.`;
    }
  })();
  const lines = [
    what,
    'If this was you, there is nothing to do.',
    `If it was not you, open your account now, remove the passkeys and sessions you do not recognise, and contact support: ${t.portalUrl}`,
  ];
  return {
    subject: `${brand.applicationName}: ${NOTICE_SUBJECTS[t.template]}`,
    text: `${lines.join('\n\n')}\n`,
    html: layout(brand, lines.slice(0, 2).concat('If it was not you, open your account now, remove the passkeys and sessions you do not recognise, and contact support.'), undefined, {
      href: t.portalUrl,
      label: 'Review your account',
    }),
  };
}
