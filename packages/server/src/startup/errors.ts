/**
 * Start-up failures an operator can fix, each turned into one line that names the environment
 * variable to change and what to do: the port is taken, the host is not an address of this
 * machine, PostgreSQL cannot be reached or refuses us, the data directory cannot be written.
 * `exitOnStartupError` (run.ts) prints them and exits with 78 (EX_CONFIG), like a bad variable.
 * Anything else stays as it was thrown: a bug should not be dressed up as a configuration error.
 */

export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    /** The variable to change, e.g. `PORT`. */
    readonly variable: string,
    /** What went wrong and what to do, without the variable's name. */
    readonly advice: string,
    options?: { cause?: unknown },
  ) {
    super(`${variable}: ${advice}`, options);
  }
}

/** The system error code of `err` or of what caused it (kysely and AggregateError wrap them). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Node's happy-eyeballs connect reports every address it tried in an AggregateError.
    const inner = (e as { errors?: unknown[] }).errors?.[0] ?? (e as { cause?: unknown }).cause;
    e = inner;
  }
  return undefined;
}

/** An error of `server.listen()` on `host`:`port`. */
export function explainListenError(err: unknown, host: string, port: number): unknown {
  const where = `${host}:${port}`;
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return new StartupError('PORT', `${where} is already in use by another program; stop it, or set PORT to a free port (PORT=0 picks one)`, { cause: err });
    case 'EACCES':
      return new StartupError('PORT', `this user may not listen on port ${port} (ports below 1024 need privileges); set PORT to 1024 or above, e.g. 4000`, { cause: err });
    case 'EADDRNOTAVAIL':
      return new StartupError('HOST', `"${host}" is not an address of this machine; set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new StartupError('HOST', `the host name "${host}" cannot be resolved; set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`, { cause: err });
    default:
      return err;
  }
}

/** Where a `postgres://` URL points, without its password. */
function describeDatabase(databaseUrl: string): { where: string; host: string; user: string; database: string } {
  try {
    const u = new URL(databaseUrl);
    const host = decodeURIComponent(u.hostname) || 'localhost';
    const database = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres';
    return { where: `${host}:${u.port || '5432'}`, host, user: decodeURIComponent(u.username) || '(default user)', database };
  } catch {
    return { where: 'the address in DATABASE_URL', host: '?', user: '?', database: '?' };
  }
}

/** An error of opening or migrating the database at start-up. */
export function explainDatabaseError(err: unknown, config: { databaseUrl: string | null; sqlitePath: string }): unknown {
  const code = errorCode(err);
  if (!config.databaseUrl) {
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
      return new StartupError('LATCHKEY_DATA_DIR', `cannot write the SQLite file ${config.sqlitePath} (${code}); set LATCHKEY_DATA_DIR to a directory this user can write`, {
        cause: err,
      });
    }
    return err;
  }
  const db = describeDatabase(config.databaseUrl);
  const fix = (what: string) => new StartupError('DATABASE_URL', what, { cause: err });
  switch (code) {
    case 'ECONNREFUSED':
      return fix(`PostgreSQL is not accepting connections at ${db.where} (connection refused); start it, or correct the host and port in DATABASE_URL`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return fix(`the database host "${db.host}" cannot be resolved; correct the host name in DATABASE_URL`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return fix(`PostgreSQL at ${db.where} cannot be reached (${code}); check that it runs and that this machine may connect, or correct DATABASE_URL`);
    case '28P01':
    case '28000':
      return fix(`PostgreSQL at ${db.where} refused the user "${db.user}"; correct the user name and password in DATABASE_URL`);
    case '3D000':
      return fix(`the database "${db.database}" does not exist on ${db.where}; create it (createdb ${db.database}) or correct DATABASE_URL`);
    default:
      return err;
  }
}
