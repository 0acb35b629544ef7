import { type Command, noArguments } from '../command.js';

export const rotateKeys: Command = {
  name: 'rotate-keys',
  summary: 'Make a new session-token signing key; the previous one stays published',
  help: `Makes a new signing key for session tokens (algorithm from LATCHKEY_TOKEN_ALG, ES256 by
default) in the database that start would use. The previous key stays in the JWKS, so tokens
already issued keep verifying; running servers sign with the new key within 30 seconds.

Exit codes: 0 done, 78 configuration or database connection problem, 1 any other failure.`,
  async run(args) {
    noArguments('rotate-keys', args);
    const [{ loadConfig }, { withMigratedStore }, { SigningKeys }, { systemClock }] = await Promise.all([
      import('../../config/index.js'),
      import('../with-store.js'),
      import('../../sessions/keys.js'),
      import('../../util/time.js'),
    ]);
    const config = loadConfig();
    await withMigratedStore(config, async (store) => {
      const kid = await new SigningKeys(store, systemClock, config.tokenAlg).rotate();
      console.log(`New signing key ${kid}; the previous key stays published in the JWKS. Running servers pick it up within 30 s.`);
    });
  },
};
