import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import { access, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileTarget } from '../livekit/recorder.js';

/** Where Egress is asked to write a recording: a path in its folder, or an object key it uploads. */
export type RecordingOutput = FileTarget;

/** How a signed link hands a file over: sent from the folder, or a redirect to a presigned URL. */
export type Handover = { kind: 'file'; path: string } | { kind: 'redirect'; url: string };

/** What the answer to a signed link says of the file, whoever sends it. */
export interface HandoverHeaders {
  /** The signed link's end: a presigned URL lives no longer. */
  expiresAt: Date;
  contentType: string;
  contentDisposition: string;
}

/**
 * Where recordings are kept: the recordings folder (Egress writes there) or an S3-compatible bucket (Egress
 * uploads there; src/s3/). Each recording's file has the name the recording was given (Recording.fileName),
 * and the tool finds, hands over and deletes it there. Files are only ever reached through a signed link
 * (src/recordings/recording-links.ts); nothing serves the folder or the bucket itself.
 */
export interface RecordingFiles {
  /** Said in logs and errors: the folder, or s3://bucket/prefix. */
  readonly where: string;
  /** What Egress is asked to write the file to. */
  output(fileName: string): RecordingOutput;
  /**
   * The file's size, or undefined when there is none: a name that is not one plain name (a separator,
   * `..`, a leading dot), or a link that leads out of the folder, counts as none.
   */
  find(fileName: string): Promise<{ sizeBytes: number; modifiedAt?: Date } | undefined>;
  /** How the file goes to someone holding a signed link, already checked. */
  handover(fileName: string, headers: HandoverHeaders): Promise<Handover | undefined>;
  /**
   * Deletes the file, idempotently (deletion is redone after a crash): false when it is known there was
   * none (a bucket does not say).
   */
  remove(fileName: string): Promise<boolean>;
  /** Resolves when the tool can reach where files are kept (readiness): the folder, or the bucket. */
  check(): Promise<void>;
  /** The origin handovers redirect players to (the launcher's media-src allows it); none for the folder. */
  mediaOrigin?(): Promise<string>;
}

/** One path segment of letters, digits, `.`, `_` and `-`, not starting with a dot (what recordings are named). */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export const isPlainFileName = (name: string): boolean => PLAIN_NAME.test(name) && !name.includes('..');

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Opens the configured folder once at startup: created when missing, then it must be a folder the tool can
 * read and write (it deletes recordings there). Throws a sentence naming the setting otherwise. `egressDir`
 * is the same folder as Egress sees it (recordings.egressDir), where its mount differs.
 */
export function openRecordingsFolder(configured: string, egressDir?: string): RecordingFiles & { dir: string } {
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

  const find = async (fileName: string) => {
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
  };

  return {
    dir,
    where: dir,
    // The tool names the file; Egress, which works from `/`, gets its absolute path.
    output: (fileName) => ({ filepath: path.join(egressDir ?? dir, fileName) }),
    find,
    // A folder unmounted or made read-only since the start.
    check: () => access(dir, constants.R_OK | constants.W_OK | constants.X_OK),
    async handover(fileName) {
      const file = await find(fileName);
      return file ? { kind: 'file', path: file.path } : undefined;
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
