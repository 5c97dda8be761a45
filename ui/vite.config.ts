import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The built UI is embedded into the Rust binary at compile time
// (tauri.conf.json: build.frontendDist = "./ui/dist").
export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs work under tauri://localhost and in a plain static preview.
  base: './',
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts: the CSP only allows script-src 'self'.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
