// Builds the account portal into packages/server/dist-portal when its inputs changed
// (scripts/build-web-app.mjs says how).
import { fileURLToPath } from 'node:url';
import { buildWebApp } from '../../../scripts/build-web-app.mjs';

buildWebApp({ app: fileURLToPath(new URL('..', import.meta.url)), name: 'the portal', bundle: '../../packages/server/dist-portal/index.html' });
