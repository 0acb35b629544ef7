import { type Command, noArguments } from '../command.js';

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'Delete expired rows once (the server also does it on a timer)',
  help: `Deletes, in small batches: audit events past the retention setting, abandoned sign-ins and
sign-ups, expired passkey registrations, sessions over for a week and idle clients without
sessions; prints how many of each (docs/backend-api.md, "The sweep").

Exit codes: 0 done, 78 configuration or database problem, 1 any other failure.`,
  async run(args) {
    noArguments('sweep', args);
    const [{ loadConfig }, { withMigratedStore }, { SettingsService }, { sweep }, { systemClock }] = await Promise.all([
      import('../../config/index.js'),
      import('../with-store.js'),
      import('../../settings/index.js'),
      import('../../sweep/index.js'),
      import('../../util/time.js'),
    ]);
    await withMigratedStore(loadConfig(), async (store) => {
      const counts = await sweep({ store, settings: new SettingsService(store, systemClock), clock: systemClock });
      console.log(`Deleted: ${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ')}.`);
    });
  },
};
