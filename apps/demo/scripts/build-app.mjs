// Builds the demo's browser app when its inputs changed (scripts/build-web-app.mjs says how).
import { fileURLToPath } from 'node:url';
import { buildWebApp } from '../../../scripts/build-web-app.mjs';

buildWebApp({ app: fileURLToPath(new URL('..', import.meta.url)), name: 'the demo app', bundle: 'dist/index.html' });
