import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Last lines the process printed, for error messages. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after the grace period. Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code when the process exits (for whatever reason). */
  readonly exited: Promise<number | null>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also append everything the process prints to this file. */
  logFile?: string;
  /** Run as this user and group (a root parent starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Polled until it resolves true; the process is ready then. */
  ready: (self: ManagedProcess) => Promise<boolean>;
  readyTimeoutMs: number;
  /** What stop() sends first (SIGTERM unless the service wants another, e.g. PostgreSQL's fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** How long stop() waits after stopSignal before SIGKILL, unless the caller says otherwise. */
  stopGraceMs?: number;
}

const TAIL_LINES = 40;

export class ServiceStartError extends Error {
  constructor(name: string, reason: string, tail: string) {
    super(`${name} failed to start: ${reason}\n--- last lines of ${name} ---\n${tail || '(no output)'}\n---`);
    this.name = 'ServiceStartError';
  }
}

/** Starts a long-running service and waits until `ready` says so, or fails with its log tail. */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
    // Own process group: a Ctrl-C in the terminal reaches only our orchestrator, which stops the tool
    // first (draining requests) and the services after it.
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  const file = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const collect = (chunk: Buffer): void => {
    file?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) lines.push(line);
    }
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : code);
      file?.end();
      resolve(exitCode);
    });
    child.once('error', (err) => {
      lines.push(String(err));
      exitCode = -1;
      file?.end();
      resolve(-1);
    });
  });

  const handle: ManagedProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    exited,
    logTail: () => lines.join('\n'),
    stop: (graceMs = options.stopGraceMs ?? 5000) => stopChild(child, exited, options.stopSignal ?? 'SIGTERM', graceMs),
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new ServiceStartError(options.name, `exited with code ${exitCode}`, handle.logTail());
    }
    if (await options.ready(handle).catch(() => false)) return handle;
    await sleep(100);
  }
  await handle.stop(1000);
  throw new ServiceStartError(options.name, `not ready within ${options.readyTimeoutMs} ms`, handle.logTail());
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Detached children outlive a crashed parent; kill what is left when this process exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
