import { defineConfig } from 'vite';

// The server serves this build at /portal (and its pages at /sign-in, /sign-up and /user on a
// server without an app of its own), so assets are always referred to under /portal/. The build
// goes into @latchkey/server's package, which ships it: `latchkey start` serves the portal.
export default defineConfig({
  base: '/portal/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: '../../packages/server/dist-portal', emptyOutDir: true },
});
