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
  // Security notice: a recovery code was used and a new passkey added (recovery/lift.ts).
  | { template: 'recovery_used'; portalUrl: string };

export interface Brand {
  applicationName: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(brand: Brand, paragraphs: string[], code?: string): string {
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
    case 'recovery_used': {
      const lines = [
        `A recovery code was used to sign in to your ${brand.applicationName} account, and a new passkey was added.`,
        `If this was you, nothing else is needed. If it was not, review your passkeys and sessions at ${t.portalUrl} now, and make new recovery codes there.`,
      ];
      return { subject: `A recovery code was used on your ${brand.applicationName} account`, text: `${lines.join('\n\n')}\n`, html: layout(brand, lines) };
    }
  }
}
