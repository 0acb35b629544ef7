/**
 * A real SMTP server for tests (the `smtp-server` package on 127.0.0.1, a random port): the
 * server under test sends through nodemailer exactly as in production, and tests read the
 * codes from what arrived here, never from the database.
 */
import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export interface ReceivedMail {
  from: string;
  /** Envelope recipients, lower-cased. */
  to: string[];
  raw: string;
  subject: string;
  /** The plain-text part, decoded. */
  text: string;
}

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private waiters: { predicate: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  /** Reply codes to answer the next DATA commands with (e.g. 451 once to make a send fail). */
  readonly failNext: number[] = [];
  /** While true, a message's DATA is taken and never answered: the send is in flight, not delivered. */
  hold = false;
  private heldWaiters: (() => void)[] = [];
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.hold) {
            this.heldWaiters.splice(0).forEach((resolve) => resolve());
            return;
          }
          const failure = this.failNext.shift();
          if (failure) {
            const err = Object.assign(new Error('refused by the test'), { responseCode: failure });
            return callback(err);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            raw,
            subject: header(raw, 'subject'),
            text: textPart(raw),
          };
          this.received.push(mail);
          this.waiters = this.waiters.filter((w) => (w.predicate(mail) ? (w.resolve(mail), false) : true));
          callback();
        });
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next mail (already received or still to come) that `predicate` accepts. */
  waitFor(predicate: (m: ReceivedMail) => boolean): Promise<ReceivedMail> {
    const found = this.received.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Resolves when the next message is held (see `hold`). */
  nextHeld(): Promise<void> {
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const m = head.replace(/\r?\n[ \t]+/g, ' ').match(new RegExp(`^${name}:\\s*(.*)$`, 'im'));
  return m ? m[1]!.trim() : '';
}

/** The text/plain part of a (possibly multipart) message, with quoted-printable undone. */
function textPart(raw: string): string {
  const idx = raw.search(/content-type:\s*text\/plain/i);
  const part = idx >= 0 ? raw.slice(idx) : raw;
  const body = part.split(/\r?\n\r?\n/).slice(1).join('\n\n').split(/\r?\n--/)[0] ?? '';
  const qp = /content-transfer-encoding:\s*quoted-printable/i.test(part.split(/\r?\n\r?\n/)[0] ?? '');
  return qp ? body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : body;
}

/** The six-digit code in a mail's text. */
export function codeIn(mail: ReceivedMail): string {
  const m = mail.text.match(/\b(\d{6})\b/);
  if (!m) throw new Error(`no code in mail: ${mail.text}`);
  return m[1]!;
}

/**
 * A test SMTP server for a test file: started before each test (`each`, a clean mailbox per test)
 * or once for the file (`all`), and closed after. Read `server` and `url` inside tests and hooks.
 */
export function useTestSmtp(scope: 'each' | 'all'): { readonly server: TestSmtpServer; readonly url: string } {
  let server: TestSmtpServer | null = null;
  let url = '';
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    server = new TestSmtpServer();
    url = await server.start();
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the test SMTP server starts in a hook: read it inside a test');
      return server;
    },
    get url() {
      return url;
    },
  };
}
