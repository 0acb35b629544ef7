/**
 * `/dev/mailbox`: the development mailbox as a page (and `/dev/mailbox.json` for scripts), so a
 * developer reads verification codes without an SMTP server. Mounted only when the mailbox exists,
 * which is development mode without SMTP (server.ts): in production the path is a plain 404.
 */
import { Hono } from 'hono';
import type { DevMailbox, MailboxMessage } from '../email/mailbox.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function messageHtml(m: MailboxMessage): string {
  return `<article>
<h2>${escapeHtml(m.subject)}</h2>
<p class="meta">To <strong>${escapeHtml(m.to)}</strong> · from ${escapeHtml(m.from)} · ${new Date(m.receivedAt).toISOString()}</p>
<pre>${escapeHtml(m.text)}</pre>
</article>`;
}

export function devMailbox(mailbox: DevMailbox): Hono {
  const app = new Hono();
  app.get('/dev/mailbox', (c) => {
    const messages = mailbox.list();
    c.header('Cache-Control', 'no-store');
    return c.html(`<!doctype html>
<html><head><meta charset="utf-8"><title>Development mailbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:24px auto;padding:0 16px;color:#111}
article{border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:0 0 16px}h2{font-size:16px;margin:0 0 4px}
.meta{color:#555;font-size:13px;margin:0 0 8px}pre{white-space:pre-wrap;font-size:14px;margin:0}</style></head>
<body><h1>Development mailbox</h1>
<p>Email this server would send, newest first (kept in memory; set <code>LATCHKEY_SMTP_URL</code> to send real mail). Reload to see new messages.</p>
${messages.length ? messages.map(messageHtml).join('\n') : '<p><em>No email yet.</em></p>'}
</body></html>`);
  });
  app.get('/dev/mailbox.json', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ data: mailbox.list().map(({ html: _html, ...m }) => m) });
  });
  return app;
}
