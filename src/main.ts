import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createApp } from './app.js';
import { logoOrigin } from './branding.js';
import { ConfigError, livekitApiUrl, loadConfig, type AppConfig } from './config.js';
import { startCleanupJob } from './db/cleanup-job.js';
import { openDatabase } from './db/connection.js';
import { ensureIndexes } from './db/indexes.js';
import { AppError } from './errors.js';
import { createLiveKitGateway } from './livekit/livekit-gateway.js';
import { createLogger, type Logger } from './log.js';
import { createActivityStore, ACTIVITY_INDEXES } from './db/activity-store.js';
import { API_KEY_INDEXES, createApiKeyStore } from './db/api-key-store.js';
import { createSpaceStores, SPACE_INDEXES } from './db/space-store.js';
import { createLinkSessionStore, LINK_SESSION_INDEXES } from './db/link-session-store.js';
import { ACTIVITY_QUOTA_INDEXES, createActivityQuotaStore } from './db/activity-quota-store.js';
import { createLinkSessions } from './integrations/link-sessions.js';
import { createActivityQuota } from './rooms/activity-quota.js';
import { createApiKeyService } from './integrations/api-keys.js';
import { createSpaceService, spacePlatformId } from './integrations/spaces.js';
import { startDeliveryWorker, type DeliveryTuning } from './integrations/webhook-delivery.js';
import { createWebhookEnqueuer } from './integrations/webhook-outbox.js';
import { createOutboxStore, OUTBOX_INDEXES } from './db/outbox-store.js';
import { integratorRouter } from './http/integrator-router.js';
import { spaceJoinRouter } from './http/space-join-router.js';
import { createDemoPlatform, type DemoPlatform } from './dev/demo-platform.js';
import { adminRouter } from './http/admin-router.js';
import { apiRouter } from './http/api-router.js';
import { hooksRouter } from './http/hooks-router.js';
import { roomRouter } from './http/room-router.js';
import { roomStatusOf } from './rooms/room-status.js';
import { createRoomStore, ROOM_INDEXES } from './db/room-store.js';
import { createWebhookVerifier } from './livekit/webhooks.js';
import { createRoomControls } from './rooms/room-controls.js';
import { createRoomEviction } from './rooms/room-eviction.js';
import { createRoomService } from './rooms/room-service.js';
import { createSessionTracker } from './rooms/session-tracker.js';
import { ltiRouter } from './http/lti-router.js';
import { registrationRouter } from './http/registration-router.js';
import { revocableSessions, sessionOwnerCheck } from './http/session-revocation.js';
import { createJwksCache } from './lti/jwks-cache.js';
import { createLaunchStore, LAUNCH_STORE_INDEXES } from './db/launch-store.js';
import { loadToolRegistration } from './lti/registration.js';
import { createPlatformService, PLATFORM_INDEXES } from './db/platform-store.js';
import type { PlatformService } from './lti/platform-store.js';
import { LTIJS_EXPIRING_COLLECTIONS, setupLtiProvider } from './lti/provider.js';
import { createSessionStore, SESSION_INDEXES } from './db/launch-session-store.js';
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

/** Composition root: config -> stores -> services -> app -> listen. Stops in the reverse order. */
export async function startTool({ config, logger, clientDir, webhookDelivery }: StartOptions): Promise<RunningTool> {
  const db = await openDatabase({
    uri: config.mongo.uri,
    serverSelectionTimeoutMs: config.mongo.serverSelectionTimeoutMs,
    logger,
  });
  const indexes = await ensureIndexes(db.connection, ALL_INDEXES, logger);
  const cleanup = startCleanupJob(db.connection, indexes.expiryRules, config.cleanup.intervalMs, logger);
  const livekit = createLiveKitGateway({
    apiUrl: livekitApiUrl(config),
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    requestTimeoutMs: config.livekit.requestTimeoutMs,
  });
  const lti = await setupLtiProvider({ encryptionKey: config.lti.encryptionKey, mongoUri: config.mongo.uri, logger });
  const roomStore = createRoomStore(db.connection);
  // A revoked key or a removed/deactivated platform: its sessions end (checked per request), its rooms empty.
  const evictOwner = createRoomEviction({ store: roomStore, livekit, logger });
  const platforms = createPlatformService(db.connection, lti, async (id) => void (await evictOwner(id)));
  const apiKeyStore = createApiKeyStore(db.connection);
  const sessions = revocableSessions(
    createSessionStore(db.connection),
    sessionOwnerCheck({ platforms, apiKeys: apiKeyStore }),
  );
  const activities = createActivityStore(db.connection);
  const publicUrl = config.server.publicUrl.replace(/\/$/, '');
  const rooms = createRoomService({
    store: roomStore,
    livekit,
    livekitUrl: config.livekit.url,
    tokenTtlSeconds: config.rooms.tokenTtlSeconds,
    logger,
  });
  const controls = createRoomControls({ store: roomStore, livekit, rooms });
  const registration = loadToolRegistration();
  const demo = config.demo.enabled
    ? await startDemoPlatform(publicUrl, platforms, registration.customParameters, logger)
    : undefined;
  const apiKeys = createApiKeyService({
    store: apiKeyStore,
    onRevoked: async (id) => void (await evictOwner(spacePlatformId(id))),
  });
  const spaceStores = createSpaceStores(db.connection);
  const outbox = createOutboxStore(db.connection);
  const webhooks = startDeliveryWorker({ ...webhookDelivery, outbox, spaces: spaceStores.spaces, logger });
  const onEvent = createWebhookEnqueuer({
    spaces: spaceStores.spaces,
    outbox,
    onEnqueued: () => webhooks.kick(),
    logger,
  });
  const tracker = createSessionTracker({ store: roomStore, livekit, logger, onEvent });
  const spaces = createSpaceService({
    ...spaceStores,
    apiKeys: apiKeyStore,
    activities,
    rooms,
    roomStore,
    livekit,
    publicUrl,
    linkTtlMs: config.spaces.joinLinkTtlMinutes * 60_000,
  });
  const sessionTtlMs = config.lti.sessionTtlMinutes * 60_000;

  let shuttingDown = false;
  const app = createApp({
    config,
    logger,
    clientDir,
    isShuttingDown: () => shuttingDown,
    frameAncestors: () => platforms.frameAncestors(),
    imgOrigins: async () => [
      ...new Set([logoOrigin(config.branding), ...(await platforms.logoOrigins())].filter((o) => o !== undefined)),
    ],
    readiness: [
      {
        name: 'database',
        check: () => db.ping().catch((cause) => Promise.reject(new AppError('DB_UNAVAILABLE', { cause }))),
      },
      { name: 'livekit', check: () => livekit.ping() },
    ],
    routers: {
      lti: ltiRouter({
        publicUrl,
        clockSkewSeconds: config.lti.clockSkewSeconds,
        sessionTtlMs,
        store: createLaunchStore(db.connection),
        platforms,
        sessions,
        activities,
        jwks: createJwksCache({
          ttlMs: config.lti.jwks.cacheTtlSeconds * 1000,
          minRefreshIntervalMs: config.lti.jwks.minRefreshSeconds * 1000,
          fetchTimeoutMs: config.lti.jwks.fetchTimeoutMs,
          maxBytes: config.lti.jwks.maxBytes,
        }),
        keysRouter: lti.keysRouter,
        loginRateLimit: config.limits.ltiLogin,
        logger,
        extra: [
          registrationRouter({
            registration,
            publicUrl,
            platforms,
            allowHttp: config.env !== 'production',
            autoActivate: config.lti.autoActivateDynamicRegistrations,
            rateLimit: config.limits.dynamicRegistration,
            logger,
          }),
        ],
      }),
      api: apiRouter({
        publicUrl,
        sessions,
        platforms,
        activities,
        lti,
        branding: config.branding,
        roomStatus: (member) => roomStatusOf({ rooms, store: roomStore }, member),
        activityQuota: createActivityQuota(
          createActivityQuotaStore(db.connection),
          config.limits.activitiesPerDeepLinkingLaunch,
        ),
      }),
      admin: adminRouter({ apiKey: config.admin.apiKey, platforms, apiKeys }),
      room: roomRouter({ sessions, activities, rooms, controls, store: roomStore }),
      hooks: hooksRouter({ verifier: createWebhookVerifier(config.livekit.apiKey, config.livekit.apiSecret), tracker }),
      demo: demo?.router,
      integrator: integratorRouter({ apiKeys, spaces, allowHttpWebhooks: config.env !== 'production' }),
      spaceJoin: spaceJoinRouter({
        spaces,
        linkSessions: createLinkSessions({
          store: createLinkSessionStore(db.connection),
          sessions,
          maxPerLink: config.limits.sessionsPerJoinLink,
          sessionTtlMs,
        }),
        sessionTtlMs,
        secure: publicUrl.startsWith('https:'),
        joinRateLimit: config.limits.spaceJoin,
        passcodeRateLimit: config.limits.spacePasscode,
        logger,
      }),
    },
  });
  const server = await listen(app, config.server.host, config.server.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  logger.info({ url, publicUrl }, 'tool listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      shuttingDown = true;
      logger.info('shutting down: draining requests');
      await closeServer(server, config.server.shutdownTimeoutMs);
      await webhooks.stop();
      await cleanup.stop();
      await lti.close();
      await db.close();
      logger.info('shutdown complete');
    })());
  return { url, demoUrl: demo ? `${publicUrl}/demo` : undefined, demo, app, stop };
}

const ALL_INDEXES = [
  ...LTIJS_EXPIRING_COLLECTIONS,
  ...PLATFORM_INDEXES,
  ...LAUNCH_STORE_INDEXES,
  ...SESSION_INDEXES,
  ...ACTIVITY_INDEXES,
  ...ROOM_INDEXES,
  ...API_KEY_INDEXES,
  ...SPACE_INDEXES,
  ...LINK_SESSION_INDEXES,
  ...ACTIVITY_QUOTA_INDEXES,
  ...OUTBOX_INDEXES,
];

/** The demo LMS registers itself like any platform, through the same service as the admin API. */
async function startDemoPlatform(
  publicUrl: string,
  platforms: PlatformService,
  customParameters: Record<string, string>,
  logger: Logger,
) {
  const demo = await createDemoPlatform({
    publicUrl,
    tool: {
      loginUrl: `${publicUrl}/lti/login`,
      launchUrl: `${publicUrl}/lti/launch`,
      jwksUrl: `${publicUrl}/lti/keys`,
      // What dynamic registration gives a real LMS: the tool-level custom parameters of the registration.
      customParameters,
    },
    logger,
  });
  const r = demo.registration;
  await platforms.upsert({ ...r, deploymentIds: [r.deploymentId], source: 'demo', active: true });
  logger.info({ issuer: r.issuer }, 'demo LMS registered');
  return demo;
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
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
