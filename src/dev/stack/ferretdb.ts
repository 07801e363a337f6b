import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { ensureFerretDb } from './binaries.js';
import { startProcess, type ManagedProcess } from './child-process.js';
import { freeTcpPort } from './ports.js';

export interface MongoWireService {
  /** mongodb:// URI of the database the tool should use. */
  uri: string;
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface FerretDbOptions {
  /** FerretDB's own state file and its log (the data lives in PostgreSQL). Reused across runs. */
  stateDir: string;
  /** postgres:// URL of the database that holds the data (see startPostgres). */
  postgresUrl: string;
  port?: number;
  database?: string;
  progress?: (message: string) => void;
}

/** FerretDB v1 with the PostgreSQL handler: a MongoDB wire-protocol store on a PostgreSQL of our own. */
export async function startFerretDb(options: FerretDbOptions): Promise<MongoWireService> {
  const binary = await ensureFerretDb(options.progress);
  mkdirSync(options.stateDir, { recursive: true });
  const port = options.port ?? (await freeTcpPort());
  const child = await startProcess({
    name: 'ferretdb',
    command: binary.path,
    args: [
      '--handler=postgresql',
      `--state-dir=${options.stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      // Its default 127.0.0.1:8088 would collide between two instances.
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    // In the environment rather than the arguments: the URL holds the password, and `ps` shows arguments.
    env: { ...process.env, FERRETDB_POSTGRESQL_URL: options.postgresUrl },
    logFile: path.join(options.stateDir, 'ferretdb.log'),
    readyTimeoutMs: 30_000,
    ready: () => acceptsConnections(port),
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/${options.database ?? 'liveclass'}`,
    port,
    process: child,
    stop: () => child.stop(),
  };
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
