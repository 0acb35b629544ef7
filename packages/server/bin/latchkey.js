#!/usr/bin/env node
// The `latchkey` command. It lives outside dist/ so that npm links it at install time, before
// the first build of a fresh clone (npm skips a bin whose file does not exist yet).
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    console.error('Latchkey is not built yet: run `npm run build` (or `npm start`) at the repository root first.');
    process.exit(1);
  }
  throw err;
});
