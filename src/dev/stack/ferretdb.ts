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
  /** Holds the SQLite files, FerretDB's state and its log. Reused across runs for `npm start`. */
  dataDir: string;
  port?: number;
  database?: string;
  progress?: (message: string) => void;
}

/** FerretDB v1 with the SQLite handler: a MongoDB wire-protocol store with no server to install. */
export async function startFerretDb(options: FerretDbOptions): Promise<MongoWireService> {
  const binary = await ensureFerretDb(options.progress);
  const sqliteDir = path.join(options.dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  const port = options.port ?? (await freeTcpPort());
  const child = await startProcess({
    name: 'ferretdb',
    command: binary.path,
    args: [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/`,
      `--state-dir=${options.dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      // Its default 127.0.0.1:8088 would collide between two instances.
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    logFile: path.join(options.dataDir, 'ferretdb.log'),
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
