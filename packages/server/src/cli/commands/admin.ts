import { type Command, noArguments } from '../command.js';

export const adminInvite: Command = {
  name: 'admin invite',
  summary: 'Print a one-time link that registers another dashboard administrator',
  help: `Creates a one-time link to /dashboard/setup and prints it. Whoever opens it within an hour
registers a passkey and becomes a dashboard administrator; the link then stops working. Only its
hash is stored. The link starts with LATCHKEY_PUBLIC_URL, so set that to where browsers reach
the server.

Exit codes: 0 printed, 78 configuration or database problem, 1 any other failure.`,
  async run(args) {
    noArguments('admin invite', args);
    const [{ loadConfig }, { withMigratedStore }, { createLink, ADMIN_LINK_MS }, { systemClock }] = await Promise.all([
      import('../../config/index.js'),
      import('../with-store.js'),
      import('../../admin/administrators.js'),
      import('../../util/time.js'),
    ]);
    const config = loadConfig();
    const link = await withMigratedStore(config, (store) => createLink({ store, clock: systemClock, config }, 'invite'));
    console.log(`Invitation for a dashboard administrator (valid ${ADMIN_LINK_MS / 60_000} minutes, one use):\n\n${link.url}\n`);
  },
};
