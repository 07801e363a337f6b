/**
 * A local RTMP server for one stream: ffmpeg listening at `url` (`-listen 1`), copying what it receives
 * into `file` (or discarding it). It exits when the stream ends or on stop().
 */
import { spawn } from 'node:child_process';

export interface RtmpListener {
  /** Resolves when ffmpeg has exited (the stream ended, it was stopped, or it failed). */
  exited: Promise<void>;
  pid: number | undefined;
  stop(): void;
  /** The last of what ffmpeg printed, for failure messages. */
  log(): string;
}

export function listenRtmp(url: string, file?: string): RtmpListener {
  const output = file ? ['-c', 'copy', '-y', file] : ['-c', 'copy', '-f', 'null', '-'];
  const child = spawn('ffmpeg', ['-hide_banner', '-nostats', '-listen', '1', '-i', url, ...output], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    exited,
    pid: child.pid,
    // SIGINT: ffmpeg finishes the file it writes (a SIGTERM would too; SIGKILL would leave it cut).
    stop: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGINT')),
    log: () => log,
  };
}
