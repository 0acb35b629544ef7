// Builds the dashboard into packages/server/dist-dashboard when its inputs changed
// (scripts/build-web-app.mjs says how). It bundles none of the @latchkey packages.
import { fileURLToPath } from 'node:url';
import { buildWebApp } from '../../../scripts/build-web-app.mjs';

buildWebApp({
  app: fileURLToPath(new URL('..', import.meta.url)),
  name: 'the dashboard',
  bundle: '../../packages/server/dist-dashboard/index.html',
  bundlesPackages: false,
});
