import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by the server at /dashboard, from packages/server/dist-dashboard (so it ships with the server package).
export default defineConfig({
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: fileURLToPath(new URL('../../packages/server/dist-dashboard', import.meta.url)), emptyOutDir: true },
});
