import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../log.js';

export interface Database {
  readonly connection: Connection;
  /** Round trip to the server; rejects when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  uri: string;
  serverSelectionTimeoutMs: number;
  logger: Logger;
}

/**
 * Our models live on their own connection (never the global mongoose that ltijs uses), and indexes are
 * created explicitly by ensureIndexes() so a store that rejects some index kinds is handled in one place.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.logger.child({ module: 'db' });
  const connection = mongoose.createConnection(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs,
    autoIndex: false,
    autoCreate: false,
  });
  let closing = false;
  connection.on('disconnected', () => {
    if (!closing) log.warn('database disconnected');
  });
  connection.on('reconnected', () => log.info('database reconnected'));
  await connection.asPromise();
  log.info({ db: connection.name }, 'database connected');

  return {
    connection,
    async ping() {
      const db = connection.db;
      if (!db) throw new Error('database connection is not open');
      await db.command({ ping: 1 });
    },
    async close() {
      closing = true;
      await connection.close();
    },
  };
}
