import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import { realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * The recordings folder: Egress writes each recording's file there under the name the recording was given
 * (Recording.fileName), and the tool reads and deletes them there. Files are only ever reached through a
 * signed link (src/recordings/recording-links.ts); nothing serves the folder itself.
 */
export interface RecordingFiles {
  /** The folder, absolute and with symbolic links resolved. */
  readonly dir: string;
  /**
   * The file's absolute path and size, or undefined when there is none: a name that is not one plain name
   * inside the folder (a separator, `..`, a leading dot), or a link that leads out of it, counts as none.
   */
  find(fileName: string): Promise<{ path: string; sizeBytes: number; modifiedAt: Date } | undefined>;
  /** Deletes the file; false when there was none (already deleted: deletion is redone after a crash). */
  remove(fileName: string): Promise<boolean>;
}

/** One path segment of letters, digits, `.`, `_` and `-`, not starting with a dot (what recordings are named). */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export const isPlainFileName = (name: string): boolean => PLAIN_NAME.test(name) && !name.includes('..');

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Opens the configured folder once at startup: created when missing, then it must be a folder the tool can
 * read and write (it deletes recordings there). Throws a sentence naming the setting otherwise.
 */
export function openRecordingsFolder(configured: string): RecordingFiles {
  let dir: string;
  try {
    mkdirSync(configured, { recursive: true });
    dir = realpathSync(configured);
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new Error(
      `recordings.dir (RECORDINGS_DIR): ${configured} is not a folder the tool can read and write (${(err as Error).message})`,
      { cause: err },
    );
  }
  const inside = (file: string) => file.startsWith(`${dir}${path.sep}`);
  const candidate = (fileName: string) => (isPlainFileName(fileName) ? path.join(dir, fileName) : undefined);

  return {
    dir,
    async find(fileName) {
      const file = candidate(fileName);
      if (!file) return undefined;
      try {
        const real = await realpath(file);
        if (!inside(real)) return undefined;
        const info = await stat(real);
        return info.isFile() ? { path: real, sizeBytes: info.size, modifiedAt: info.mtime } : undefined;
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },
    async remove(fileName) {
      const file = candidate(fileName);
      if (!file) return false;
      try {
        await unlink(file);
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
  };
}

/** The Content-Type a recording's file is served with (Egress writes MP4: H.264 and Opus, or Opus alone). */
export function mediaTypeOf(fileName: string, audioOnly: boolean): string {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.mp4') return audioOnly ? 'audio/mp4' : 'video/mp4';
  if (ext === '.m4a') return 'audio/mp4';
  if (ext === '.webm') return audioOnly ? 'audio/webm' : 'video/webm';
  if (ext === '.ogg' || ext === '.opus') return 'audio/ogg';
  return 'application/octet-stream';
}
