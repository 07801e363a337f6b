import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createApp } from './app.js';
import { logoOrigin } from './branding.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { startCleanupJob } from './db/cleanup-job.js';
import { openDatabase } from './db/connection.js';
import { ensureIndexes } from './db/indexes.js';
import type { DemoPlatform } from './dev/demo-platform.js';
import { AppError } from './errors.js';
import type { DeliveryTuning } from './integrations/webhook-delivery.js';
import { createLogger, type Logger } from './log.js';
import { loadToolRegistration } from './lti/registration.js';
import { adminModule } from './modules/admin-module.js';
import { attendanceModule } from './modules/attendance-module.js';
import { demoModule } from './modules/demo-module.js';
import { integrationsModule } from './modules/integrations-module.js';
import { ltiModule } from './modules/lti-module.js';
import type { ToolModule } from './modules/module.js';
import { pollsModule } from './modules/polls-module.js';
import { recordingsModule } from './modules/recordings-module.js';
import { recordingLibraryModule } from './modules/recording-library-module.js';
import { roomsModule } from './modules/rooms-module.js';
import { createServices } from './modules/services.js';
import { clientBuildDir } from './paths.js';

export interface RunningTool {
  /** Where the tool listens (resolved port, useful when the config asked for port 0). */
  url: string;
  /** The demo LMS course page, when the demo is enabled. */
  demoUrl?: string;
  /** The demo LMS itself (tests sign their own id_tokens with its key). */
  demo?: DemoPlatform;
  /** The express app it serves (tests walk its routes). */
  app: Express;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Readonly<AppConfig>;
  logger: Logger;
  clientDir?: string;
  /** Integrator webhook delivery timing (tests shorten the backoff). */
  webhookDelivery?: DeliveryTuning;
}

/**
 * Composition root: config -> store -> shared services -> modules (indexes, jobs, routers) -> listen.
 * Stops in the reverse order.
 */
export async function startTool({ config, logger, clientDir, webhookDelivery }: StartOptions): Promise<RunningTool> {
  const db = await openDatabase({
    uri: config.mongo.uri,
    serverSelectionTimeoutMs: config.mongo.serverSelectionTimeoutMs,
    logger,
  });
  const services = await createServices({ config, logger, db });
  const registration = loadToolRegistration();
  const recordingLibrary = recordingLibraryModule(services);
  const integrations = integrationsModule(
    services,
    webhookDelivery,
    () => attendance.attendance,
    recordingLibrary.recordings,
  );
  const attendance = attendanceModule(services, [(pending) => integrations.onAttendanceFinal(pending)]);
  const demo = config.demo.enabled ? await demoModule(services, registration) : undefined;
  const recordings = recordingsModule(services);
  services.recordingListeners.push((event) => integrations.onRecordingEvent(event));
  const modules: ToolModule[] = [
    ltiModule(services, registration),
    // Before rooms: its routers answer under /api/room, whose own router would otherwise see them first.
    recordings,
    roomsModule(
      services,
      async (event) => {
        await integrations.onEvent(event);
        await attendance.onEvent(event);
        await recordings.onEvent(event);
      },
      (event) => recordings.onEgress(event),
    ),
    pollsModule(services),
    recordingLibrary,
    integrations,
    attendance,
    adminModule(services),
    ...(demo ? [demo] : []),
  ];

  const indexes = await ensureIndexes(
    db.connection,
    modules.flatMap((m) => m.indexes ?? []),
    logger,
  );
  const cleanup = startCleanupJob(db.connection, indexes.expiryRules, config.cleanup.intervalMs, logger);
  for (const m of modules) await m.start?.();

  let shuttingDown = false;
  const app = createApp({
    config,
    logger,
    clientDir,
    isShuttingDown: () => shuttingDown,
    frameAncestors: () => services.platforms.frameAncestors(),
    imgOrigins: async () => [
      ...new Set(
        [logoOrigin(config.branding), ...(await services.platforms.logoOrigins())].filter((o) => o !== undefined),
      ),
    ],
    mediaOrigins: () => recordingLibrary.mediaOrigins(),
    readiness: [
      {
        name: 'database',
        check: () => db.ping().catch((cause) => Promise.reject(new AppError('DB_UNAVAILABLE', { cause }))),
      },
      ...modules.flatMap((m) => m.readiness ?? []),
    ],
    mounts: modules.flatMap((m) => m.mounts ?? []),
  });
  const server = await listen(app, config.server.host, config.server.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  const { publicUrl } = services;
  logger.info({ url, publicUrl }, 'tool listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      shuttingDown = true;
      logger.info('shutting down: draining requests');
      await closeServer(server, config.server.shutdownTimeoutMs);
      for (const m of [...modules].reverse()) await m.stop?.();
      await cleanup.stop();
      await db.close();
      logger.info('shutdown complete');
    })());
  return { url, demoUrl: demo ? `${publicUrl}/demo` : undefined, demo: demo?.demo, app, stop };
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    // Idle keep-alive sockets outlive the clients' own idea of them (undici ~4 s, proxies 60 s): a server that
    // closes first races a request sent on the closing socket, which the client sees as ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stop accepting, let in-flight requests finish, then cut whatever is left after the timeout. */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Runs `stop` once on SIGTERM/SIGINT. One Ctrl-C can arrive twice within milliseconds (from the terminal
 * and forwarded by npm), so only a signal that comes later forces an immediate exit.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < 1000) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    firstAt = Date.now();
    logger.info({ signal }, 'signal received');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Loads and validates config, or exits (code 78, EX_CONFIG) before anything listens. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  try {
    return loadConfig({ env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.log.level);
  try {
    const tool = await startTool({ config, logger, clientDir: clientBuildDir() });
    stopOnSignals(tool.stop, logger);
  } catch (err) {
    logger.fatal({ err }, 'startup failed');
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
