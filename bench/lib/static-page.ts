import type { AddressInfo } from 'node:net';
import express from 'express';
import { build } from 'vite';

/** Builds a bench page (an index.html and its script, livekit-client bundled from node_modules) and serves it on loopback. */
export async function servePage(root: string, outDir: string) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  });
  const app = express();
  app.use(express.static(outDir));
  const listener = app.listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  return { url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`, close: () => listener.close() };
}
