import { type Command, noArguments } from '../command.js';

export const start: Command = {
  name: 'start',
  summary: 'Serve the frontend API (the default when no command is given)',
  help: `Validates the configuration, opens the database (SQLite under LATCHKEY_DATA_DIR, or
PostgreSQL at DATABASE_URL), runs pending migrations, creates the signing key if there is none,
then serves until SIGINT or SIGTERM.

Most used environment variables (all of them: docs/configuration.md):
  PORT                  TCP port (default 4000; 0 picks a free one)
  HOST                  interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  DATABASE_URL          postgres://… selects PostgreSQL; unset keeps SQLite
  LATCHKEY_DATA_DIR     where the SQLite file lives (default .latchkey)
  LATCHKEY_PUBLIC_URL   where browsers reach this server (default http://localhost:$PORT)
  LATCHKEY_DOMAIN       the instance domain; required in production
  LATCHKEY_MODE         development (default) or production

Exit codes: 0 stopped by a signal, 78 configuration or start-up problem (one line per problem,
naming the variable to change), 1 any other failure.`,
  async run(args) {
    noArguments('start', args);
    // Loaded here, not at the top: `latchkey --help` should not load the whole server.
    const [{ loadConfig }, { serveUntilSignalled }, { startServer }] = await Promise.all([
      import('../../config/index.js'),
      import('../../run.js'),
      import('../../server.js'),
    ]);
    serveUntilSignalled(await startServer(loadConfig()));
  },
};
