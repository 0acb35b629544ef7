/**
 * A real HTTP server that receives webhooks the way an app would: it verifies each request's
 * Standard Webhooks signature with the `standardwebhooks` library and records what came. Tests
 * wait on arrivals (`next`, `waitFor`), never on time. It can answer with any status, hold requests
 * open (a delivery in flight), or go down (connections refused) and come back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: number;
  /** True when the signature verified against the current secret. */
  verified: boolean;
  error: string | null;
  event: { type: string; object: string; data: any; timestamp: number } | null;
  body: string;
}

export type ReceiverMode = 'ok' | 'hold' | number;

export class WebhookReceiver {
  readonly received: Received[] = [];
  secret: string | null = null;
  mode: ReceiverMode = 'ok';
  private waiters: { test: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  private held: ServerResponse[] = [];
  private server: Server | null = null;
  private constructor(public port: number) {}

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver(0);
    await r.up();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhooks`;
  }

  /** Listens (again) on its port. */
  async up(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: deliveries now meet a refused connection. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const res of this.held.splice(0)) res.destroy();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next request to arrive whose record passes `test` (including ones already received). */
  waitFor(test: (r: Received) => boolean): Promise<Received> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Resolves once `n` requests in all have arrived. */
  async count(n: number): Promise<Received[]> {
    while (this.received.length < n) await new Promise<Received>((resolve) => this.waiters.push({ test: () => true, resolve }));
    return this.received.slice(0, n);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let event: Received['event'] = null;
    let error: string | null = null;
    try {
      if (!this.secret) throw new Error('the receiver has no secret yet');
      event = new Webhook(this.secret).verify(body, headers) as Received['event'];
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const record: Received = {
      id: headers['webhook-id'] ?? '',
      timestamp: Number(headers['webhook-timestamp']),
      verified: error === null,
      error,
      event,
      body,
    };
    this.received.push(record);
    const mode = this.mode;
    if (mode === 'hold') this.held.push(res);
    else {
      res.statusCode = error ? 400 : mode === 'ok' ? 204 : mode;
      res.end();
    }
    for (const w of this.waiters.splice(0)) {
      if (w.test(record)) w.resolve(record);
      else this.waiters.push(w);
    }
  }
}
