import { existsSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Until the embedded store moved to PostgreSQL, FerretDB kept `npm start`'s data as SQLite files in
 * <data>/ferretdb/sqlite/. Nothing reads them any more, and nothing converts them. Moves that folder
 * aside (never deletes data) and returns what to tell the user, or undefined when there is none.
 */
export function moveAsideSqliteStore(dataDir: string): string | undefined {
  const sqliteDir = path.join(dataDir, 'ferretdb', 'sqlite');
  if (!existsSync(sqliteDir)) return undefined;
  if (readdirSync(sqliteDir).length === 0) {
    rmdirSync(sqliteDir);
    return undefined;
  }
  let target = path.join(dataDir, 'ferretdb-sqlite-old');
  for (let n = 2; existsSync(target); n++) target = path.join(dataDir, `ferretdb-sqlite-old-${n}`);
  renameSync(sqliteDir, target);
  return [
    `${sqliteDir} held the SQLite files of an earlier version's embedded store.`,
    `The embedded store is now FerretDB on PostgreSQL (${path.join(dataDir, 'postgresql')}); what was stored in`,
    'SQLite (registered platforms, launches, rooms, sessions, attendance) is not carried over: this run starts',
    'with an empty store. The demo LMS registers itself again; an LMS you registered must be registered again.',
    `The old files are kept, untouched, in ${target}`,
    '(delete that folder when you no longer need it).',
  ].join('\n');
}
