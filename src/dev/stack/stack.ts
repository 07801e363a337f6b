import path from 'node:path';
import { startFerretDb, type MongoWireService } from './ferretdb.js';
import { startLiveKit, type LiveKitService } from './livekit.js';

export interface StackOptions {
  /** Parent folder for FerretDB data and LiveKit's generated config and logs. */
  workDir: string;
  /** MONGODB_URI, LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: use those services instead of starting ours. */
  env?: NodeJS.ProcessEnv;
  livekitPort?: number;
  ferretDbPort?: number;
  /** Stable LiveKit credentials (npm start keeps them across runs). */
  livekitKey?: { apiKey: string; apiSecret: string };
  webhookUrl?: string;
  progress?: (message: string) => void;
}

export interface Stack {
  mongoUri: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  /** Present when this stack started FerretDB itself. */
  ferretdb?: MongoWireService;
  /** Present when this stack started livekit-server itself. */
  livekitServer?: LiveKitService;
  /** Environment variables that point the tool at these services. */
  toolEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/** Starts (in parallel) whichever of the store and the SFU the environment does not already provide. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const env = options.env ?? process.env;
  const external = externalLiveKit(env);
  const [ferret, lk] = await Promise.allSettled([
    env.MONGODB_URI
      ? Promise.resolve(undefined)
      : startFerretDb({
          dataDir: path.join(options.workDir, 'ferretdb'),
          port: options.ferretDbPort,
          progress: options.progress,
        }),
    external
      ? Promise.resolve(undefined)
      : startLiveKit({
          workDir: path.join(options.workDir, 'livekit'),
          port: options.livekitPort,
          webhookUrl: options.webhookUrl,
          progress: options.progress,
          ...options.livekitKey,
        }),
  ]);
  if (ferret.status === 'rejected' || lk.status === 'rejected') {
    await Promise.all([ferret, lk].map((r) => (r.status === 'fulfilled' ? r.value?.stop() : undefined)));
    throw ferret.status === 'rejected' ? ferret.reason : (lk as PromiseRejectedResult).reason;
  }
  const ferretdb = ferret.value;
  const livekitServer = lk.value;
  const mongoUri = env.MONGODB_URI || (ferretdb as MongoWireService).uri;
  const livekit = external ?? {
    url: livekitServer!.url,
    apiKey: livekitServer!.apiKey,
    apiSecret: livekitServer!.apiSecret,
  };

  const stack: Stack = {
    mongoUri,
    livekit,
    ferretdb,
    livekitServer,
    toolEnv: () => ({
      MONGODB_URI: mongoUri,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
    }),
    async stop() {
      // Read the fields, not the locals: a test may replace a service it restarted.
      await Promise.all([stack.livekitServer?.stop(), stack.ferretdb?.stop()]);
    },
  };
  return stack;
}

function externalLiveKit(env: NodeJS.ProcessEnv): Stack['livekit'] | undefined {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = env;
  if (!url) return undefined;
  if (!apiKey || !apiSecret)
    throw new Error('LIVEKIT_URL is set: LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too.');
  return { url, apiKey, apiSecret };
}
