import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensurePostgres, type PostgresBinaries } from './binaries.js';
import { ServiceStartError, startProcess, type ManagedProcess } from './child-process.js';
import { installIndexTwins, PLAN_SETTINGS } from './postgres-indexes.js';
import { freeTcpPort } from './ports.js';

const run = promisify(execFile);

export interface PostgresService {
  /** postgres:// URL of the cluster's database with its credentials: what FerretDB connects with. */
  url: string;
  port: number;
  /** PostgreSQL major.minor, e.g. "16.14". */
  version: string;
  /** The folder it was started from: startPostgres({ dir, port }) starts the same cluster again. */
  dir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Holds the cluster (`cluster/`), its credentials and its log. Reused across runs for `npm start`. */
  dir: string;
  port?: number;
  progress?: (message: string) => void;
}

/** The one role of the cluster (its superuser), and the database FerretDB keeps every MongoDB database in. */
const ROLE = 'liveclass';
const DATABASE = 'postgres';

interface Credentials {
  user: string;
  password: string;
}

/** The user PostgreSQL runs as when we are root (it refuses to run as root). */
interface RunAs {
  uid: number;
  gid: number;
  groups: number[];
}

/**
 * A private PostgreSQL cluster from the npm binaries: created on first start (initdb), listening on
 * 127.0.0.1 only (no Unix socket), password-authenticated. As root it runs as the system user `postgres`,
 * created when the machine has none.
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresService> {
  mkdirSync(options.dir, { recursive: true });
  const runAs = process.getuid?.() === 0 ? await postgresUser(options.progress) : undefined;
  const binaries = runAs ? reachableBinaries(await ensurePostgres(), runAs) : await ensurePostgres();
  const clusterDir = path.join(options.dir, 'cluster');
  if (runAs) {
    allowSearchByOthers(options.dir);
    requireReachable(clusterDir, runAs);
  }
  const credentials = await ensureCluster(binaries, options.dir, runAs, options.progress);
  await installIndexTwins(binaries.postgres, clusterDir, DATABASE, runAs);
  const port = options.port ?? (await freeTcpPort());
  const child = await startProcess({
    name: 'postgresql',
    command: binaries.postgres,
    args: [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...PLAN_SETTINGS,
    ],
    cwd: clusterDir,
    env: { ...process.env, LC_ALL: 'C' },
    uid: runAs?.uid,
    gid: runAs?.gid,
    logFile: path.join(options.dir, 'postgresql.log'),
    // Crash recovery after a kill replays the write-ahead log before it accepts connections.
    readyTimeoutMs: 60_000,
    ready: async (self) => postmasterReady(clusterDir, self.pid),
    // SIGINT is PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit. SIGTERM would wait for
    // every client to leave.
    stopSignal: 'SIGINT',
    stopGraceMs: 15_000,
  });
  const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE}`;
  return { url, port, version: binaries.version, dir: options.dir, process: child, stop: () => child.stop() };
}

/** PostgreSQL writes "ready" on line 8 of postmaster.pid once it accepts connections (what `pg_ctl -w` reads). */
function postmasterReady(clusterDir: string, pid: number): boolean {
  try {
    const lines = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/**
 * Returns the cluster's credentials, creating the cluster first when there is none. initdb writes into a
 * staging folder that is renamed into place on success, so an interrupted first run never leaves a
 * half-made cluster behind.
 */
async function ensureCluster(
  binaries: PostgresBinaries,
  dir: string,
  runAs: RunAs | undefined,
  progress?: (message: string) => void,
): Promise<Credentials> {
  const clusterDir = path.join(dir, 'cluster');
  const credentialsFile = path.join(dir, 'credentials.json');
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    if (!existsSync(credentialsFile)) {
      throw new Error(`${clusterDir} holds a PostgreSQL cluster but ${credentialsFile} is missing: move ${dir} away.`);
    }
    return JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
  }
  if (existsSync(clusterDir)) {
    throw new Error(`${clusterDir} exists but holds no PostgreSQL cluster (no PG_VERSION): move it away.`);
  }
  progress?.(`creating the PostgreSQL ${binaries.version} cluster in ${clusterDir}`);
  const credentials: Credentials = { user: ROLE, password: randomBytes(24).toString('hex') };
  const staging = `${clusterDir}.init`;
  const passwordFile = path.join(dir, 'initdb-password');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(staging, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      { cwd: staging, env: { ...process.env, LC_ALL: 'C' }, uid: runAs?.uid, gid: runAs?.gid, timeout: 120_000 },
    );
  } catch (err) {
    const output = err as { stdout?: string; stderr?: string; message?: string };
    const tail = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new ServiceStartError('initdb', output.message?.split('\n')[0] ?? 'failed', tail);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  renameSync(staging, clusterDir);
  return credentials;
}

let postgresUserLookup: Promise<RunAs> | undefined;

/** The `postgres` user, created (as a system user without a home) when the machine has none. */
function postgresUser(progress?: (message: string) => void): Promise<RunAs> {
  postgresUserLookup ??= (async () => {
    const existing = await lookupUser('postgres');
    if (existing) return existing;
    if (process.platform !== 'linux') {
      throw new Error('PostgreSQL refuses to run as root and this machine has no "postgres" user to run it as.');
    }
    progress?.('creating the system user "postgres" to run PostgreSQL as (it refuses to run as root)');
    try {
      await run('groupadd', ['--force', '--system', 'postgres']);
      await run('useradd', [
        '--system',
        '--gid',
        'postgres',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        'postgres',
      ]);
    } catch (err) {
      // Another process may have created it meanwhile.
      const raced = await lookupUser('postgres');
      if (raced) return raced;
      throw new Error(`PostgreSQL refuses to run as root, and creating a "postgres" user failed: ${String(err)}`);
    }
    const created = await lookupUser('postgres');
    if (!created) throw new Error('the "postgres" user was created but cannot be found');
    return created;
  })();
  postgresUserLookup.catch(() => (postgresUserLookup = undefined));
  return postgresUserLookup;
}

async function lookupUser(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid, groups] = await Promise.all(
      ['-u', '-g', '-G'].map(async (flag) => (await run('id', [flag, name])).stdout.trim()),
    );
    return { uid: Number(uid), gid: Number(gid), groups: (groups ?? '').split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

/**
 * Adds search permission for others (o+x: enter, not list) to a folder. As root, a folder the postgres
 * user must pass through to reach its cluster needs it; mkdtemp makes 0700 folders.
 */
export function allowSearchByOthers(dir: string): void {
  const { mode } = statSync(dir);
  if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
}

/**
 * The binaries where the postgres user can run them. A project checked out under a folder only root may
 * enter (/root, a 0700 home) has its node_modules out of that user's reach: run a copy from the system's
 * temporary folder instead, made once per version.
 */
function reachableBinaries(binaries: PostgresBinaries, user: RunAs): PostgresBinaries {
  if (isReachable(binaries.postgres, user)) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const copy = path.join(os.tmpdir(), `lti-live-class-postgresql-${binaries.version}`);
  const done = path.join(copy, '.complete');
  if (!existsSync(done)) {
    const staging = `${copy}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    writeFileSync(path.join(staging, '.complete'), '');
    try {
      renameSync(staging, copy);
    } catch {
      // Another process put its complete copy there first; the copy is never replaced while in use.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const moved = (file: string) => path.join(copy, path.relative(nativeDir, file));
  const relocated = { ...binaries, initdb: moved(binaries.initdb), postgres: moved(binaries.postgres) };
  requireReachable(relocated.postgres, user);
  return relocated;
}

function isReachable(target: string, user: RunAs): boolean {
  try {
    requireReachable(target, user);
    return true;
  } catch {
    return false;
  }
}

/** Fails with a sentence naming the folder when the postgres user cannot reach `target`. */
function requireReachable(target: string, user: RunAs): void {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const stat = statSync(dir);
    const bit = stat.uid === user.uid ? 0o100 : user.groups.includes(stat.gid) ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      throw new Error(
        `PostgreSQL runs as the user "postgres" (it refuses to run as root), which cannot reach ${target}: ` +
          `${dir} is not searchable by it. Allow it (chmod o+x ${dir}), or keep the project and its data ` +
          'folder (LIVECLASS_DATA_DIR) where that user can reach them.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}
