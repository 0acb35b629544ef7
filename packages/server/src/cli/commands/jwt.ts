import { type Command, noArguments } from '../command.js';

async function signingKeys() {
  const [{ loadConfig }, { withMigratedStore }, { SigningKeys }, { systemClock }] = await Promise.all([
    import('../../config/index.js'),
    import('../with-store.js'),
    import('../../sessions/keys.js'),
    import('../../util/time.js'),
  ]);
  return { config: loadConfig(), withMigratedStore, SigningKeys, systemClock };
}

export const jwtPublicKey: Command = {
  name: 'jwt-public-key',
  summary: "Print the session-token key as PEM (for @clerk/backend's jwtKey)",
  help: `Prints the current session-token signing key as a PEM public key, for @clerk/backend's
verifyToken(token, { jwtKey }). Clerk's backend verifies RS256 only: with an ES256 key this says to
set LATCHKEY_TOKEN_ALG=RS256 and exits with 1 (docs/clerk-sdk.md).

Exit codes: 0 printed, 1 the key is not RS256, 78 configuration or database problem.`,
  async run(args) {
    noArguments('jwt-public-key', args);
    const { config, withMigratedStore, SigningKeys, systemClock } = await signingKeys();
    const { publicKeyPem } = await import('../../sessions/public-key-pem.js');
    await withMigratedStore(config, async (store) => {
      const keys = new SigningKeys(store, systemClock, config.tokenAlg);
      await keys.ensureKey();
      const current = (await keys.publicJwks()).keys[0]!;
      // Clerk's backend SDK reads only RS256 keys; an ES256 PEM would fail there with a vaguer error.
      if (current.alg !== 'RS256') {
        console.error('The current signing key is ES256. @clerk/backend verifies RS256 only: set LATCHKEY_TOKEN_ALG=RS256 and run this again.');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(publicKeyPem(current));
    });
  },
};

export const jwtTemplates: Command = {
  name: 'jwt-templates',
  args: "list | get <name> | create <name> --claims '<json>' [--lifetime s] [--clock-skew s] [--hs256 [--signing-key k]] | update <name> … | delete <name>",
  summary: 'Manage JWT templates (session.getToken({ template }))',
  help: `Manages JWT templates and prints each result as JSON. A generated HS256 key is printed once.
Refusals exit with 1 and name the parameter and the error code; usage mistakes exit with 2
(docs/clerk-sdk.md, "JWT templates").`,
  async run(args) {
    const { config, withMigratedStore, SigningKeys, systemClock } = await signingKeys();
    const [{ jwtTemplatesCommand }, { JwtTemplates }] = await Promise.all([import('../../jwt-templates/cli.js'), import('../../jwt-templates/service.js')]);
    await withMigratedStore(config, async (store) => {
      const keys = new SigningKeys(store, systemClock, config.tokenAlg);
      await keys.ensureKey();
      const templates = new JwtTemplates({ store, clock: systemClock, keys, config });
      process.exitCode = await jwtTemplatesCommand(args, templates, (s) => console.log(s), (s) => console.error(s));
    });
  },
};
