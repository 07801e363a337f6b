import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEgress, type EgressService } from './egress.js';
import { startFerretDb, type MongoWireService } from './ferretdb.js';
import { startLiveKit, type LiveKitService } from './livekit.js';
import { allowSearchByOthers, startPostgres, type PostgresService } from './postgres.js';
import { startPulse, type PulseService } from './pulse.js';
import { recordingUnavailable } from './recorder-binaries.js';
import { startRedis, type RedisService } from './redis.js';
import { startS3, type S3Service } from './s3.js';

export interface StackOptions {
  /**
   * Parent folder of the services' data, generated config and logs: postgresql/ (the cluster), ferretdb/
   * and livekit/. As root it gets search permission for others (o+x), so that PostgreSQL, which runs as
   * the postgres user, can reach its cluster inside (a mkdtemp folder is 0700).
   */
  workDir: string;
  /** MONGODB_URI, LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: use those services instead of starting ours. */
  env?: NodeJS.ProcessEnv;
  livekitPort?: number;
  ferretDbPort?: number;
  /** Stable LiveKit credentials (npm start keeps them across runs). */
  livekitKey?: { apiKey: string; apiSecret: string };
  webhookUrl?: string;
  /**
   * Recording (Redis between the SFU and LiveKit Egress): 'auto' starts it when this machine has what it
   * needs and says why not otherwise, 'required' fails without it, off (the default) starts neither.
   * Never with an external SFU: its operator runs its Egress.
   */
  recording?: 'auto' | 'required' | 'off';
  /**
   * Where recordings are kept: the stack's recordings folder (the default), or a bucket on an S3-compatible
   * server of the stack's own (gofakes3 on loopback), which Egress uploads to and the tool reads.
   */
  storage?: 'local' | 's3';
  progress?: (message: string) => void;
}

/** Whether this stack records, and if not, why (said by npm start and the tool's readiness). */
export type RecordingState = { enabled: true; outputDir: string } | { enabled: false; reason: string };

export interface Stack {
  mongoUri: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  /** Present when this stack started the store itself: FerretDB on its own PostgreSQL. */
  ferretdb?: MongoWireService;
  postgres?: PostgresService;
  /** Present when this stack started livekit-server itself. */
  livekitServer?: LiveKitService;
  redis?: RedisService;
  pulse?: PulseService;
  egress?: EgressService;
  /** Present when recordings are kept in a bucket (storage: 's3'). */
  s3?: S3Service;
  recording: RecordingState;
  /** The stack's recordings folder (Egress writes there when it runs; the tool serves from it either way). */
  recordingsDir: string;
  /** Environment variables that point the tool at these services. */
  toolEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts whichever of the store (PostgreSQL, then FerretDB on it) and the SFU the environment does not
 * already provide; the store and the SFU start in parallel.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const env = options.env ?? process.env;
  const external = externalLiveKit(env);
  const recordingsDir = path.join(options.workDir, 'recordings');
  let recording = await recordingPlan(options, !!external, recordingsDir);
  const redis = recording.enabled ? await startRedis({ workDir: path.join(options.workDir, 'redis') }) : undefined;
  const [store, lk] = await Promise.allSettled([
    env.MONGODB_URI ? Promise.resolve(undefined) : startStore(options),
    external
      ? Promise.resolve(undefined)
      : startLiveKit({
          workDir: path.join(options.workDir, 'livekit'),
          port: options.livekitPort,
          webhookUrl: options.webhookUrl,
          redisAddress: redis?.address,
          progress: options.progress,
          ...options.livekitKey,
        }),
  ]);
  if (store.status === 'rejected' || lk.status === 'rejected') {
    await Promise.all([store, lk].map((r) => (r.status === 'fulfilled' ? r.value?.stop() : undefined)));
    await redis?.stop();
    throw store.status === 'rejected' ? store.reason : (lk as PromiseRejectedResult).reason;
  }
  const { ferretdb, postgres } = store.value ?? {};
  const livekitServer = lk.value;
  const mongoUri = env.MONGODB_URI || (ferretdb as MongoWireService).uri;
  const livekit = external ?? {
    url: livekitServer!.url,
    apiKey: livekitServer!.apiKey,
    apiSecret: livekitServer!.apiSecret,
  };

  let egress: EgressService | undefined;
  let pulse: PulseService | undefined;
  let s3: S3Service | undefined;
  if (options.storage === 's3') {
    try {
      s3 = await startS3({ workDir: path.join(options.workDir, 's3'), progress: options.progress });
    } catch (err) {
      await Promise.all([livekitServer?.stop(), store.value?.stop(), redis?.stop()]);
      throw err;
    }
  }
  if (recording.enabled) {
    try {
      pulse = await startPulse({ workDir: path.join(options.workDir, 'pulse') });
      egress = await startEgress({
        ...(s3 ? { s3 } : {}),
        pulseServer: pulse.server,
        workDir: path.join(options.workDir, 'egress'),
        outputDir: recording.outputDir,
        livekit,
        redisAddress: (redis as RedisService).address,
        progress: options.progress,
      });
    } catch (err) {
      await pulse?.stop();
      pulse = undefined;
      if (options.recording === 'required') {
        await Promise.all([livekitServer?.stop(), store.value?.stop(), redis?.stop(), s3?.stop()]);
        throw err;
      }
      recording = { enabled: false, reason: `LiveKit Egress did not start: ${(err as Error).message}` };
    }
  }

  const stack: Stack = {
    mongoUri,
    livekit,
    ferretdb,
    postgres,
    livekitServer,
    redis,
    pulse,
    egress,
    s3,
    recording,
    recordingsDir,
    toolEnv: () => ({
      MONGODB_URI: mongoUri,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      RECORDINGS_DIR: recordingsDir,
      // The tool names each recording's file in Egress's output folder (RECORDINGS_DIR), and asks Egress's health port.
      ...(stack.recording.enabled && stack.egress
        ? {
            RECORDING_ENABLED: 'true',
            EGRESS_HEALTH_URL: stack.egress.healthUrl,
          }
        : {}),
      ...(stack.s3
        ? {
            RECORDINGS_STORAGE: 's3',
            RECORDINGS_S3_BUCKET: stack.s3.bucket,
            RECORDINGS_S3_ENDPOINT: stack.s3.endpoint,
            RECORDINGS_S3_REGION: stack.s3.region,
            RECORDINGS_S3_FORCE_PATH_STYLE: 'true',
            RECORDINGS_S3_ACCESS_KEY: stack.s3.accessKey,
            RECORDINGS_S3_SECRET: stack.s3.secret,
          }
        : {}),
    }),
    async stop() {
      // Read the fields, not the locals: a test may replace a service it restarted. PostgreSQL last:
      // FerretDB's connections to it are gone by then.
      await stack.egress?.stop();
      await stack.pulse?.stop();
      await Promise.all([stack.livekitServer?.stop(), stack.ferretdb?.stop()]);
      await Promise.all([stack.postgres?.stop(), stack.redis?.stop(), stack.s3?.stop()]);
    },
  };
  return stack;
}

async function recordingPlan(options: StackOptions, externalSfu: boolean, outputDir: string): Promise<RecordingState> {
  const wanted = options.recording ?? 'off';
  const reason =
    wanted === 'off'
      ? 'recording is off for this stack'
      : externalSfu
        ? 'the SFU is external (LIVEKIT_URL): its operator runs its Egress'
        : await recordingUnavailable();
  if (reason === undefined) return { enabled: true, outputDir };
  if (wanted === 'required') throw new Error(`Recording is required but unavailable: ${reason}`);
  return { enabled: false, reason };
}

interface Store {
  ferretdb: MongoWireService;
  postgres: PostgresService;
  stop(): Promise<void>;
}

async function startStore(options: StackOptions): Promise<Store> {
  mkdirSync(options.workDir, { recursive: true });
  if (process.getuid?.() === 0) allowSearchByOthers(options.workDir);
  const postgres = await startPostgres({ dir: path.join(options.workDir, 'postgresql'), progress: options.progress });
  try {
    const ferretdb = await startFerretDb({
      stateDir: path.join(options.workDir, 'ferretdb'),
      postgresUrl: postgres.url,
      port: options.ferretDbPort,
      progress: options.progress,
    });
    return {
      ferretdb,
      postgres,
      async stop() {
        await ferretdb.stop();
        await postgres.stop();
      },
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}

function externalLiveKit(env: NodeJS.ProcessEnv): Stack['livekit'] | undefined {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = env;
  if (!url) return undefined;
  if (!apiKey || !apiSecret)
    throw new Error('LIVEKIT_URL is set: LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too.');
  return { url, apiKey, apiSecret };
}
