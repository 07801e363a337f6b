/**
 * `npm run bench`: how much JavaScript the launcher downloads before its first page, and what loads later.
 * Builds nothing: reads the production build in dist/client (`npm run build:client` runs first in the
 * bench chain). The initial JS is the entry script(s) and modulepreloads named in dist/client/index.html;
 * every other .js chunk is lazy (the room, with livekit-client, loads once the pre-join page is open).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { clientBuildDir, projectRoot } from '../src/paths.js';

/** 200 KB gzip for the launcher's first load, as in docs/PERFORMANCE.md. */
const TARGET_BYTES = 200 * 1024;

const gzipBytes = (file: string): number => gzipSync(readFileSync(file)).length;

/** Paths (relative to the build root) of the module scripts and modulepreloads in index.html. */
function initialScripts(html: string): string[] {
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}=["']([^"']+)["']`, 'i').exec(tag)?.[1];
    const isScript = /^<script/i.test(tag) && attr('type') === 'module' && attr('src');
    const isPreload = /^<link/i.test(tag) && attr('rel') === 'modulepreload' && attr('href');
    const url = isScript ? attr('src') : isPreload ? attr('href') : undefined;
    if (url && !/^[a-z]+:\/\//i.test(url)) files.add(url.replace(/^\//, ''));
  }
  return [...files];
}

/** Every .js file under `dir`, relative to the build root, with forward slashes. */
function jsFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(root, full);
    return entry.name.endsWith('.js') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

function main(): void {
  const root = clientBuildDir();
  const indexHtml = path.join(root, 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`No client build in ${root}: run \`npm run build:client\` first.`);
  }
  const initial = initialScripts(readFileSync(indexHtml, 'utf8'));
  if (initial.length === 0) throw new Error(`${indexHtml} names no module script.`);
  const initialFiles = initial.map((file) => ({ file, gzipBytes: gzipBytes(path.join(root, file)) }));
  const lazyChunks = jsFiles(root)
    .filter((file) => !initial.includes(file))
    .sort()
    .map((file) => ({ file, gzipBytes: gzipBytes(path.join(root, file)) }));
  const initialJsGzipBytes = initialFiles.reduce((sum, f) => sum + f.gzipBytes, 0);

  const result = {
    benchmark: 'launcher-bundle-size',
    date: new Date().toISOString(),
    compression: 'gzip, default level (node:zlib gzipSync)',
    initialJsGzipBytes,
    initialFiles,
    lazyChunks,
    targetBytes: TARGET_BYTES,
    withinTarget: initialJsGzipBytes <= TARGET_BYTES,
  };
  const file = path.join(projectRoot(), 'bench', 'results', 'bundle-size.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main();
