import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { startProcess, type ManagedProcess } from './child-process.js';
import { freeTcpPort } from './ports.js';

export interface RedisService {
  /** host:port, as livekit-server and Egress take it. */
  address: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * A throwaway Redis on loopback for livekit-server and Egress to meet (they keep nothing there that
 * outlives a class): no persistence, no protected-mode surprises, its own port.
 */
export async function startRedis(options: { workDir: string }): Promise<RedisService> {
  mkdirSync(options.workDir, { recursive: true });
  const port = await freeTcpPort();
  const child = await startProcess({
    name: 'redis-server',
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.workDir],
    logFile: path.join(options.workDir, 'redis.log'),
    readyTimeoutMs: 10_000,
    ready: () => answersPing(port),
  });
  return { address: `127.0.0.1:${port}`, process: child, stop: () => child.stop() };
}

/** True when the server answers PING with PONG (RESP inline command). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.end();
    });
  });
}
