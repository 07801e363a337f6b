import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const clientRoot = fileURLToPath(new URL('.', import.meta.url));

/** The launcher client: built into dist/client, which the express app serves at `/`. */
export default defineConfig({
  root: clientRoot,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // The room chunk is mostly livekit-client (~550 kB, ~145 kB gzip); it loads only when someone joins.
    chunkSizeWarningLimit: 600,
  },
});
