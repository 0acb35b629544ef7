import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  // Where the Latchkey server is, known only when the test starts it.
  define: { __LATCHKEY_URL__: JSON.stringify(process.env.LATCHKEY_URL ?? 'http://localhost:4000') },
});
