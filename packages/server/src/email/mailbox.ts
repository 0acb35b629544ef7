/**
 * The development mailbox: in development with no SMTP server configured, mail is kept here (in
 * this process's memory, newest first) and shown at `/dev/mailbox`, so a developer can sign up
 * with a made-up address and read the code. Never used in production (see server.ts).
 */

export interface MailboxMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: number;
}

const KEEP = 50;

export class DevMailbox {
  private messages: MailboxMessage[] = [];

  add(m: MailboxMessage): void {
    this.messages.unshift(m);
    this.messages.length = Math.min(this.messages.length, KEEP);
  }

  list(): readonly MailboxMessage[] {
    return this.messages;
  }
}
