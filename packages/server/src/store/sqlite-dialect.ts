/**
 * Kysely's SQLite dialect with a fair connection lock. SQLite has one connection, so queries and
 * transactions take turns. Kysely's own lock wakes every waiter at each release and lets whichever
 * runs first win: with a hundred requests waiting, each release cost a hundred wake-ups and some
 * requests waited seconds (bench/signin at 128 concurrent: p99 3.6 s). Here waiters queue in
 * arrival order and a release hands the connection to the next one only.
 */
import { type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

export class FifoLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    // Ownership was handed over by unlock(): `held` stayed true.
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

class FairSqliteDriver extends SqliteDriver {
  readonly #turns = new FifoLock();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#turns.lock();
    // Only the holder of a turn gets here, so Kysely's own lock is always free.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#turns.unlock();
  }
}

export class FairSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.#config);
  }
}
