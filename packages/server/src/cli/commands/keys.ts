import { parseArgs } from 'node:util';
import { type Command, noArguments, UsageError } from '../command.js';

async function secretKeys() {
  const [{ loadConfig }, { withMigratedStore }, { SecretKeys }, { systemClock }] = await Promise.all([
    import('../../config/index.js'),
    import('../with-store.js'),
    import('../../secret-keys/index.js'),
    import('../../util/time.js'),
  ]);
  const config = loadConfig();
  return <T>(fn: (keys: InstanceType<typeof SecretKeys>) => Promise<T>) =>
    withMigratedStore(config, (store) => fn(new SecretKeys(store, systemClock, config.mode)));
}

const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export const keysCreate: Command = {
  name: 'keys create',
  args: '--name NAME',
  summary: 'Create a backend API secret key and print it once',
  help: `Creates a secret key for the backend API (sk_test_… in development, sk_live_… in production)
and prints it once: only its hash is stored. NAME says what the key is for ("billing service").

Exit codes: 0 created, 2 no --name, 78 configuration or database problem, 1 any other failure.`,
  async run(args) {
    let name: string | undefined;
    try {
      name = parseArgs({ args, options: { name: { type: 'string' } }, strict: true }).values.name;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (!name?.trim()) throw new UsageError('keys create needs --name NAME (what the key is for, e.g. "billing service").');
    const { key, info } = await (await secretKeys())((keys) => keys.create(name!));
    console.log(`Created secret key ${info.id} (${info.name}). It is shown only this once; store it now:\n\n${key}\n`);
  },
};

export const keysList: Command = {
  name: 'keys list',
  summary: 'List the backend API secret keys (never the keys themselves)',
  help: `Lists every secret key: id, last four characters, name, created, last used, and whether it is
revoked.

Exit codes: 0 listed, 78 configuration or database problem, 1 any other failure.`,
  async run(args) {
    noArguments('keys list', args);
    const list = await (await secretKeys())((keys) => keys.list());
    if (list.length === 0) return console.log('No secret keys. Create one with: latchkey keys create --name NAME');
    for (const k of list) {
      const status = k.revoked_at === null ? 'active' : `revoked ${date(k.revoked_at)}`;
      console.log(`${k.id}  sk_${k.mode}_…${k.key_hint}  ${JSON.stringify(k.name)}  created ${date(k.created_at)}  last used ${date(k.last_used_at)}  ${status}`);
    }
  },
};

export const keysRevoke: Command = {
  name: 'keys revoke',
  args: 'ID',
  summary: 'Revoke a backend API secret key at once, for every server',
  help: `Revokes the secret key ID (from latchkey keys list): every server refuses it from now on.

Exit codes: 0 revoked, 1 no active key with that id, 2 no ID, 78 configuration or database problem.`,
  async run(args) {
    if (args.length !== 1) throw new UsageError('keys revoke needs the key id (see latchkey keys list).');
    const id = args[0]!;
    if (!(await (await secretKeys())((keys) => keys.revoke(id)))) {
      console.error(`No active secret key ${id}. See: latchkey keys list`);
      process.exitCode = 1;
      return;
    }
    console.log(`Revoked ${id}; calls with it are refused from now on, by every server.`);
  },
};
