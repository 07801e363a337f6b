import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureLiveKitServer } from './binaries.js';
import { startProcess, type ManagedProcess } from './child-process.js';
import { freeTcpPort, freeUdpPort } from './ports.js';

export interface LiveKitService {
  url: string;
  apiKey: string;
  apiSecret: string;
  process: ManagedProcess;
  /** The generated config (TCP and UDP ports, keys, webhook): a restart reuses it. */
  configFile: string;
  stop(): Promise<void>;
}

export interface LiveKitOptions {
  /** Folder for the generated config and the log file. */
  workDir: string;
  port?: number;
  apiKey?: string;
  apiSecret?: string;
  /** Where LiveKit posts webhooks (the tool's /hooks/livekit). */
  webhookUrl?: string;
  /** The Redis that connects the SFU to Egress (recording); none without recording. */
  redisAddress?: string;
  progress?: (message: string) => void;
}

/**
 * Loopback-only SFU: binds 127.0.0.1, advertises only the loopback candidate on one UDP port,
 * no ICE-TCP (its listener ignores the bind address), and rooms exist only when the tool creates them.
 */
export function liveKitConfigYaml(o: {
  port: number;
  udpPort: number;
  apiKey: string;
  apiSecret: string;
  webhookUrl?: string;
  redisAddress?: string;
}): string {
  const lines = [
    `port: ${o.port}`,
    'bind_addresses:',
    '  - 127.0.0.1',
    'rtc:',
    `  udp_port: ${o.udpPort}`,
    '  tcp_port: 0',
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    '  enable_loopback_candidate: true',
    '  interfaces:',
    '    includes:',
    '      - lo',
    'room:',
    '  auto_create: false',
    'keys:',
    `  ${o.apiKey}: ${o.apiSecret}`,
    'logging:',
    '  level: info',
  ];
  if (o.redisAddress) lines.push('redis:', `  address: ${o.redisAddress}`);
  if (o.webhookUrl) lines.push('webhook:', `  api_key: ${o.apiKey}`, '  urls:', `    - ${o.webhookUrl}`);
  return `${lines.join('\n')}\n`;
}

export async function startLiveKit(options: LiveKitOptions): Promise<LiveKitService> {
  const binary = await ensureLiveKitServer(options.progress);
  mkdirSync(options.workDir, { recursive: true });
  const port = options.port ?? (await freeTcpPort());
  const udpPort = await freeUdpPort();
  const apiKey = options.apiKey ?? `dev${randomBytes(6).toString('hex')}`;
  const apiSecret = options.apiSecret ?? randomBytes(32).toString('hex');
  const configFile = path.join(options.workDir, 'livekit.yaml');
  writeFileSync(
    configFile,
    liveKitConfigYaml({
      port,
      udpPort,
      apiKey,
      apiSecret,
      webhookUrl: options.webhookUrl,
      redisAddress: options.redisAddress,
    }),
    {
      mode: 0o600,
    },
  );

  const child = await spawnLiveKit(binary.path, configFile, options.workDir, port);
  return service(`ws://127.0.0.1:${port}`, apiKey, apiSecret, configFile, child);
}

/**
 * Kills livekit-server with SIGKILL, as a crash would: no leave messages, its sockets simply close.
 * Resolves once the process has exited.
 */
export async function killLiveKit(lk: LiveKitService): Promise<void> {
  process.kill(lk.process.pid, 'SIGKILL');
  await lk.process.exited;
}

/**
 * Starts livekit-server again from the same config file: same port, UDP port and keys, so clients and
 * the tool reach it at the same address. The previous process must have exited (see killLiveKit). Rooms
 * and participants are gone: the SFU keeps no state across a restart.
 */
export async function restartLiveKit(lk: LiveKitService): Promise<LiveKitService> {
  const binary = await ensureLiveKitServer();
  const port = Number(new URL(lk.url).port);
  const child = await spawnLiveKit(binary.path, lk.configFile, path.dirname(lk.configFile), port);
  return service(lk.url, lk.apiKey, lk.apiSecret, lk.configFile, child);
}

function spawnLiveKit(binary: string, configFile: string, workDir: string, port: number): Promise<ManagedProcess> {
  const httpUrl = `http://127.0.0.1:${port}`;
  return startProcess({
    name: 'livekit-server',
    command: binary,
    args: ['--config', configFile],
    logFile: path.join(workDir, 'livekit.log'),
    readyTimeoutMs: 30_000,
    ready: async () => (await fetch(`${httpUrl}/`)).ok,
  });
}

function service(
  url: string,
  apiKey: string,
  apiSecret: string,
  configFile: string,
  child: ManagedProcess,
): LiveKitService {
  return { url, apiKey, apiSecret, process: child, configFile, stop: () => child.stop() };
}
