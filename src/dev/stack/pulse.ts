import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startProcess, type ManagedProcess } from './child-process.js';

const run = promisify(execFile);

export interface PulseService {
  /** PULSE_SERVER for Egress, the pactl it runs and the Chrome it records. */
  server: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * A PulseAudio of the stack's own for Egress's room recordings: Egress creates one null sink per recording
 * in it and records what Chrome plays there. It listens on a socket in `workDir` only, never exits when
 * idle, and runs in the foreground so the stack owns it (a daemon found already running is not used).
 */
export async function startPulse(options: { workDir: string }): Promise<PulseService> {
  mkdirSync(options.workDir, { recursive: true });
  const socket = path.join(options.workDir, 'native');
  const server = `unix:${socket}`;
  const child = await startProcess({
    name: 'pulseaudio',
    command: 'pulseaudio',
    args: [
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--disallow-exit',
      '--use-pid-file=no',
      '-n',
      '--load',
      `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      '--load',
      'module-null-sink sink_name=idle',
    ],
    env: { ...process.env, PULSE_RUNTIME_PATH: options.workDir, HOME: options.workDir },
    logFile: path.join(options.workDir, 'pulseaudio.log'),
    readyTimeoutMs: 10_000,
    ready: () =>
      run('pactl', ['--server', server, 'info']).then(
        () => true,
        () => false,
      ),
  });
  return { server, process: child, stop: () => child.stop() };
}
