/**
 * Counts what a server sends PostgreSQL, on the wire: a TCP relay between the server and
 * PostgreSQL that reads the frontend messages going up (never changes them) and counts
 * statements (each Execute or simple Query) and round trips (each Sync or simple Query — the
 * points where the client stops and waits for PostgreSQL's answer). Counted outside the server,
 * so the numbers hold for any build, the baseline's included.
 */
import net from 'node:net';
import path from 'node:path';

export interface WireCounts {
  statements: number;
  roundTrips: number;
}

export interface WireCounter {
  /** The URL to give the server instead of the database's own. */
  url: string;
  counts(): WireCounts;
  close(): Promise<void>;
}

/** Frontend message types (PostgreSQL protocol 3). */
const QUERY = 0x51; // 'Q'
const EXECUTE = 0x45; // 'E'
const SYNC = 0x53; // 'S'
const SSL_REQUEST_CODE = 80877103;

/**
 * Reads the frontend message stream of one connection: a start-up message without a type byte,
 * then messages of one type byte and a 32-bit length (which counts itself, not the type).
 */
class FrontendParser {
  private header = Buffer.alloc(0);
  private toSkip = 0;
  private started = false;

  constructor(private readonly onMessage: (type: number) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.toSkip > 0) {
        const n = Math.min(this.toSkip, chunk.length - at);
        this.toSkip -= n;
        at += n;
        continue;
      }
      // A typed message's header is 5 bytes; a start-up message's, its length and code: 8.
      const need = this.started ? 5 : 8;
      const take = Math.min(need - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
      at += take;
      if (this.header.length < need) return;
      if (this.started) {
        this.onMessage(this.header[0]!);
        this.toSkip = this.header.readInt32BE(1) - 4;
      } else {
        this.toSkip = this.header.readInt32BE(0) - 8;
        // An SSLRequest is answered with one byte and followed by the real start-up message.
        this.started = this.header.readInt32BE(4) !== SSL_REQUEST_CODE;
      }
      this.header = Buffer.alloc(0);
    }
  }
}

export interface WireCounterOptions {
  /**
   * Serve the relay on a Unix socket in this directory and reach PostgreSQL through its own Unix
   * socket (`upstreamSocketDir`), as a server on the same machine as PostgreSQL would: no TCP.
   */
  unixSocketDir?: string;
  /** PostgreSQL's socket directory (Debian: /var/run/postgresql). */
  upstreamSocketDir?: string;
}

/** Starts a relay to `databaseUrl`'s host and port; the returned URL goes through it. */
export async function startWireCounter(databaseUrl: string, o: WireCounterOptions = {}): Promise<WireCounter> {
  const target = new URL(databaseUrl);
  const port = Number(target.port || 5432);
  const totals: WireCounts = { statements: 0, roundTrips: 0 };
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = o.unixSocketDir
      ? net.connect(path.join(o.upstreamSocketDir ?? '/var/run/postgresql', `.s.PGSQL.${port}`))
      : net.connect(port, target.hostname);
    sockets.add(client).add(upstream);
    const parser = new FrontendParser((type) => {
      if (type === EXECUTE) totals.statements++;
      else if (type === SYNC) totals.roundTrips++;
      else if (type === QUERY) {
        totals.statements++;
        totals.roundTrips++;
      }
    });
    client.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  const url = new URL(databaseUrl);
  if (o.unixSocketDir) {
    // node-postgres takes a socket directory in the `host` parameter (it wins over the URL's
    // host) and connects to `<dir>/.s.PGSQL.<port>`.
    await new Promise<void>((resolve) => relay.listen(path.join(o.unixSocketDir!, `.s.PGSQL.${port}`), resolve));
    url.searchParams.set('host', o.unixSocketDir);
  } else {
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    url.hostname = '127.0.0.1';
    url.port = String((relay.address() as net.AddressInfo).port);
  }
  return {
    url: url.toString(),
    counts: () => ({ ...totals }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  };
}
