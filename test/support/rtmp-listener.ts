/**
 * A local RTMP server for one stream: ffmpeg listening at `url` (`-listen 1`), copying what it receives
 * into `file` (or discarding it). It exits when the stream ends or on stop().
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

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

/**
 * A TLS front for a plain listener, for rtmps:// URLs (ffmpeg cannot listen on rtmps): it decrypts with a
 * self-signed certificate made by openssl and forwards to `plainPort`. `connections` counts who came.
 */
export async function tlsFront(
  plainPort: number,
  workDir: string,
): Promise<{ port: number; connections(): number; close(): void }> {
  const cert = path.join(workDir, 'rtmps-cert.pem');
  const key = path.join(workDir, 'rtmps-key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  let connections = 0;
  const server = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => {
    const upstream = net.connect(plainPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  server.on('connection', () => (connections += 1));
  // A client that rejects the certificate resets the connection mid-handshake.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => void server.close(),
  };
}
