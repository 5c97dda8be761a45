// Builds the fake backend (test-only) into one script for page.addInitScript.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../.build', import.meta.url)),
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./entry.ts', import.meta.url)),
      formats: ['iife'],
      name: 'OssLiteFakeBackend',
      fileName: () => 'fake-ipc.js',
    },
  },
});
