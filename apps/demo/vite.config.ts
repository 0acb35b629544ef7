import { defineConfig } from 'vite';

// No React plugin: Vite transforms TSX itself; the automatic runtime imports `react/jsx-runtime`.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
