import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Progress } from './binaries.js';
import { startProcess, type ManagedProcess } from './child-process.js';
import { freeTcpPort } from './ports.js';
import { ensureEgress } from './recorder-binaries.js';

export interface EgressService {
  /** Where recordings are written (the tool's recording directory). */
  outputDir: string;
  /** Egress's health port: answers with its status while it runs (the tool's EGRESS_HEALTH_URL). */
  healthUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
  /**
   * A crash: SIGKILLs Egress and its handlers (their Xvfb and Chromium) at once, as a host or container
   * dying would, so no job ends and no webhook is sent. Resolves once Egress has exited.
   */
  kill(): Promise<void>;
  /** Starts Egress again after kill() (or stop()), on the same config, ports and folders. */
  restart(): Promise<void>;
}

export interface EgressOptions {
  workDir: string;
  outputDir: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  redisAddress: string;
  /** The PulseAudio room recordings play into (PULSE_SERVER). */
  pulseServer: string;
  /** The keys Egress signs uploads with, when the tool asks it to upload to a bucket (as in production). */
  s3?: { accessKey: string; secret: string; region: string };
  progress?: Progress;
}

/**
 * LiveKit Egress's config for one loopback SFU. Its CPU costs are scaled to a small machine: the defaults
 * (4 cores for a room composite) would refuse every composite on 2 cores; production sets its own.
 */
export function egressConfigYaml(o: {
  livekit: EgressOptions['livekit'];
  redisAddress: string;
  healthPort: number;
  templatePort: number;
}): string {
  return [
    `api_key: ${o.livekit.apiKey}`,
    `api_secret: ${o.livekit.apiSecret}`,
    `ws_url: ${o.livekit.url}`,
    'redis:',
    `  address: ${o.redisAddress}`,
    `health_port: ${o.healthPort}`,
    `template_port: ${o.templatePort}`,
    'logging:',
    '  level: info',
    'cpu_cost:',
    '  max_cpu_utilization: 0.95',
    '  room_composite_cpu_cost: 0.5',
    '  audio_room_composite_cpu_cost: 0.2',
    '  web_cpu_cost: 0.5',
    '  audio_web_cpu_cost: 0.2',
    '  participant_cpu_cost: 0.2',
    '  track_composite_cpu_cost: 0.1',
    '  track_cpu_cost: 0.05',
    '',
  ].join('\n');
}

/** Starts Egress on the SFU's Redis; ready once its health port answers with its status. */
export async function startEgress(options: EgressOptions): Promise<EgressService> {
  const binary = await ensureEgress(options.progress);
  mkdirSync(options.workDir, { recursive: true });
  mkdirSync(options.outputDir, { recursive: true });
  const scratch = path.join(options.workDir, 'tmp');
  mkdirSync(scratch, { recursive: true });
  const healthPort = await freeTcpPort();
  const templatePort = await freeTcpPort();
  const configFile = path.join(options.workDir, 'egress.yaml');
  writeFileSync(configFile, egressConfigYaml({ ...options, healthPort, templatePort }), { mode: 0o600 });
  const launch = () =>
    startProcess({
      name: 'egress',
      command: binary.path,
      args: ['--config', configFile],
      // Each recording runs as `egress run-handler` in a process of its own, looked up on PATH by that name,
      // with `/` as its working directory (so every output path is absolute).
      // Room recordings run Xvfb and Chromium (found on PATH) and play into the stack's PulseAudio.
      // Its handlers' scratch folders go to the work folder, so they leave with the stack, not in /tmp.
      env: {
        ...process.env,
        PATH: `${path.dirname(binary.path)}${path.delimiter}${process.env.PATH ?? ''}`,
        PULSE_SERVER: options.pulseServer,
        TMPDIR: scratch,
        // Requests name the bucket, never keys: Egress takes them from its environment, like the image.
        ...(options.s3
          ? {
              AWS_ACCESS_KEY_ID: options.s3.accessKey,
              AWS_SECRET_ACCESS_KEY: options.s3.secret,
              AWS_DEFAULT_REGION: options.s3.region,
            }
          : {}),
      },
      logFile: path.join(options.workDir, 'egress.log'),
      readyTimeoutMs: 30_000,
      ready: async () => (await fetch(`http://127.0.0.1:${healthPort}/`).catch(() => undefined))?.ok === true,
      stopGraceMs: 10_000,
    });
  const service: EgressService = {
    outputDir: options.outputDir,
    healthUrl: `http://127.0.0.1:${healthPort}/`,
    process: await launch(),
    async stop() {
      const handlers = handlersOf(service.process.pid);
      await service.process.stop();
      killGroups(handlers);
    },
    async kill() {
      const handlers = handlersOf(service.process.pid);
      process.kill(service.process.pid, 'SIGKILL');
      killGroups(handlers);
      await service.process.exited;
    },
    async restart() {
      service.process = await launch();
    },
  };
  return service;
}

/**
 * Egress's handlers (`egress run-handler`, each with its Xvfb and Chromium) lead process groups of their own.
 * A handler still waiting for its page when Egress is stopped outlives it, Chromium and all, once the grace
 * period ends in SIGKILL: the stack ends their groups after Egress.
 */
function handlersOf(egressPid: number): number[] {
  const handlers: number[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return handlers;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === egressPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('egress\u0000run-handler'))
        handlers.push(Number(pid));
    } catch {
      // Gone while we looked.
    }
  }
  return handlers;
}

function killGroups(leaders: number[]): void {
  for (const leader of leaders) {
    try {
      process.kill(-leader, 'SIGKILL');
    } catch {
      // The handler ended with its job, and its Xvfb and Chromium with it.
    }
  }
}
