import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { brandingSchema } from './branding.js';
import { coerce, deepFreeze, deepMerge, getPath, readJson, setPath, type Tree } from './config-tree.js';
import { configDir, projectRoot } from './paths.js';
import { parseUrl } from './urls.js';

/**
 * The only reader of process.env and config/*.json. Layers, later wins:
 * config/default.json -> config/<NODE_ENV>.json -> $CONFIG_FILE -> environment variables.
 * Secrets are accepted from the environment only, so they never end up in a committed file.
 */

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    // parseUrl, not new URL: zod runs this even when .url() failed, and a throw would hide the problem list.
    .refine((value) => protocols.includes(parseUrl(value)?.protocol ?? ''), {
      message: `must use ${protocols.join(' or ')}`,
    });

/** At most `max` requests per `windowSeconds`, counted per client address. */
const rateRule = z
  .object({ max: z.number().int().min(1).max(1_000_000), windowSeconds: z.number().int().min(1).max(86_400) })
  .strict();

const secret = (minLength: number) => z.string().min(minLength, `must be at least ${minLength} characters`);

/**
 * Where recordings are kept: the recordings folder (`dir`), or an S3-compatible bucket that Egress uploads
 * to and signed links redirect into (presigned GETs). The tool's keys come from the environment only.
 */
const recordingStorage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z
    .object({
      kind: z.literal('s3'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
      /** An S3-compatible server (MinIO, Ceph, Garage, R2); AWS S3 when unset. */
      endpoint: url(['http:', 'https:']).optional(),
      region: z.string().min(1).max(64),
      /** Bucket in the path (most S3-compatible servers) rather than in the host name. */
      forcePathStyle: z.boolean().default(false),
      /** Before each file's name in its object key, e.g. "recordings/". */
      prefix: z
        .string()
        .max(200)
        .regex(/^([A-Za-z0-9_.-]+\/)*$/, 'must be empty or folder names each ending in /')
        .default(''),
      accessKey: secret(3),
      secret: secret(8),
    })
    .strict(),
]);

const schema = z
  .object({
    env: z.enum(['development', 'test', 'production']),
    server: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
        publicUrl: url(['http:', 'https:']),
        /** true, false, or how many proxies stand in front (their X-Forwarded-For entries are believed). */
        trustProxy: z.union([z.boolean(), z.number().int().min(0).max(10)]),
        shutdownTimeoutMs: z.number().int().positive(),
      })
      .strict(),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }).strict(),
    mongo: z
      .object({
        uri: url(['mongodb:', 'mongodb+srv:']),
        serverSelectionTimeoutMs: z.number().int().positive(),
      })
      .strict(),
    livekit: z
      .object({
        url: url(['ws:', 'wss:']),
        apiUrl: url(['http:', 'https:']).optional(),
        apiKey: secret(3),
        apiSecret: secret(32),
        requestTimeoutMs: z.number().int().positive(),
      })
      .strict(),
    lti: z
      .object({
        encryptionKey: secret(32),
        clockSkewSeconds: z.number().int().min(0).max(600),
        sessionTtlMinutes: z
          .number()
          .int()
          .min(5)
          .max(7 * 24 * 60),
        autoActivateDynamicRegistrations: z.boolean(),
        /** How long a course roster fetched over NRPS is reused before the LMS is asked again (0: never). */
        rosterCacheMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60),
        /** The platforms' signing keys, cached per JWKS URL. */
        jwks: z
          .object({
            /** How long a fetched key set is trusted before it is fetched again. */
            cacheTtlSeconds: z.number().int().min(10).max(86_400),
            /** An unknown kid refetches the set, but not more often than this per URL. */
            minRefreshSeconds: z.number().int().min(1).max(3_600),
            fetchTimeoutMs: z.number().int().min(100).max(60_000),
            maxBytes: z
              .number()
              .int()
              .min(1024)
              .max(16 * 1024 * 1024),
          })
          .strict(),
      })
      .strict(),
    /** Integrator spaces: how long a join link minted through the API stays usable. */
    spaces: z
      .object({
        joinLinkTtlMinutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60),
      })
      .strict(),
    admin: z.object({ apiKey: secret(24) }).strict(),
    health: z.object({ checkTimeoutMs: z.number().int().positive() }).strict(),
    cleanup: z.object({ intervalMs: z.number().int().positive() }).strict(),
    demo: z.object({ enabled: z.boolean() }).strict(),
    rooms: z
      .object({
        /** LiveKit join tokens cannot be revoked: short lives, renewed by the launcher before expiry. */
        tokenTtlSeconds: z.number().int().min(60).max(86_400),
      })
      .strict(),
    /** How attendance is counted (docs/attendance.md). */
    attendance: z
      .object({
        /** A leave and a rejoin this close together are one visit (a dropped network, a reload). */
        reconnectGraceSeconds: z.number().int().min(0).max(3600),
        /** Arriving this long after the (scheduled) start counts as late. */
        lateGraceMinutes: z.number().int().min(0).max(240),
        /** Leaving this long before the end counts as leaving early. */
        leftEarlyGraceMinutes: z.number().int().min(0).max(240),
        /** How long after a session ends its attendance is made final (trailing leave webhooks). */
        settleSeconds: z.number().int().min(0).max(600),
        /** Joins, leaves, class sessions and their attendance records are purged this long after their date. */
        retentionDays: z.number().int().min(1).max(3650),
      })
      .strict(),
    /** Posting grades to the LMS (docs/attendance.md). */
    grades: z
      .object({
        /** Waits after the 1st, 2nd, ... failed try (the last repeats); an LMS's Retry-After can lengthen one. */
        retryDelaysSeconds: z.array(z.number().min(0).max(86_400)).min(1).max(20),
        /** Tries before a score the LMS keeps failing is given up and shown as refused. */
        maxAttempts: z.number().int().min(1).max(100),
        /** Scores one tool process posts at once. */
        concurrency: z.number().int().min(1).max(64),
        pollSeconds: z.number().min(0.05).max(3600),
      })
      .strict(),
    /** Recording and live streaming on LiveKit Egress (docs/recordings.md). */
    recordings: z
      .object({
        /** Egress runs beside the SFU (on its Redis); off: the Record button says recording is not set up. */
        enabled: z.boolean(),
        /**
         * The same folder as Egress sees it, where its mount differs from the tool's (the tool names each file
         * there before Egress starts); `dir` when unset.
         */
        egressDir: z.string().min(1).max(1024).optional(),
        /**
         * The tool's /recorder page as Egress's Chromium reaches it (e.g. http://tool:3000/recorder on a
         * compose network); the public URL's /recorder when unset.
         */
        recorderPageUrl: url(['http:', 'https:']).optional(),
        /** Egress's health port (its `health_port`): readiness and the Record button ask it whether Egress runs. */
        egressHealthUrl: url(['http:', 'https:']).optional(),
        /** How often unfinished recordings are compared with Egress's list (after a restart, lost webhooks). */
        reconcileSeconds: z.number().int().min(5).max(3600),
        /**
         * How long Egress may be silent (its health port not answering, or no longer running a job the SFU still
         * lists as active: a killed Egress sends no webhook) before its recordings and streams end as failed.
         */
        egressLostSeconds: z.number().int().min(5).max(3600),
        /**
         * How long a start waits for Egress's answer. After it, or when the call times out, its connection
         * drops or the SFU answers 5xx, the recording stays starting (Egress may have taken the job) until
         * Egress's list or webhook shows the job, or the reconcile pass gives it up after 2 minutes.
         */
        startTimeoutMs: z.number().int().min(1).max(120_000),
        /**
         * The folder LiveKit Egress writes recordings to (the tool names each file before Egress starts) and the
         * tool serves them from, only through signed links; a relative path is taken from the project folder.
         * Checked (created if missing) at startup.
         */
        dir: z
          .string()
          .min(1)
          .transform((dir) => path.resolve(projectRoot(), dir)),
        storage: recordingStorage,
        /** How long a signed play or download link works: minutes, not hours (the launcher renews them). */
        linkTtlSeconds: z.number().int().min(1).max(3600),
        /** What links are signed with (RECORDING_LINK_SECRET); unset: derived from lti.encryptionKey. */
        linkSecret: secret(32).optional(),
        /** Recordings (file and record) are deleted this long after they were made; an activity may say less. */
        retentionDays: z.number().int().min(1).max(3650),
        /** How often the retention job looks for recordings past their time. */
        retentionPollSeconds: z.number().int().min(1).max(86_400),
      })
      .strict(),
    /** The launcher's default look; a platform registration may override it. */
    branding: brandingSchema,
    /** What one client can make the tool do or store (per client address and tool process for the rates). */
    limits: z
      .object({
        ltiLogin: rateRule,
        dynamicRegistration: rateRule,
        spaceJoin: rateRule,
        spacePasscode: rateRule,
        /** Integrator launches and live-room creates and joins, per API key and client address. */
        integratorLaunch: rateRule,
        /** Integrator room controls that act on everyone (remove-all, mute-all, end, ...), per API key. */
        integratorControls: rateRule,
        /** Integrator searches that read many facts (GET /api/v1/participants), per API key. */
        integratorSearch: rateRule,
        /** Writes to /api/room (join tokens, hand, leader actions) per launch session. */
        roomRequests: rateRule,
        /** Live launcher sessions one integrator join link may hold; a newer one ends the oldest. */
        sessionsPerJoinLink: z.number().int().min(1).max(100),
        activitiesPerDeepLinkingLaunch: z.number().int().min(1).max(1000),
      })
      .strict(),
  })
  .strict();

export type AppConfig = z.infer<typeof schema>;

/** Environment variable -> config key. Numbers and booleans are coerced from their string form. */
export const ENV_KEYS: Readonly<Record<string, string>> = {
  HOST: 'server.host',
  PORT: 'server.port',
  PUBLIC_URL: 'server.publicUrl',
  TRUST_PROXY: 'server.trustProxy',
  LOG_LEVEL: 'log.level',
  MONGODB_URI: 'mongo.uri',
  LIVEKIT_URL: 'livekit.url',
  LIVEKIT_API_URL: 'livekit.apiUrl',
  LIVEKIT_API_KEY: 'livekit.apiKey',
  LIVEKIT_API_SECRET: 'livekit.apiSecret',
  LTI_ENCRYPTION_KEY: 'lti.encryptionKey',
  ROSTER_CACHE_MINUTES: 'lti.rosterCacheMinutes',
  ATTENDANCE_RECONNECT_GRACE_SECONDS: 'attendance.reconnectGraceSeconds',
  ATTENDANCE_LATE_GRACE_MINUTES: 'attendance.lateGraceMinutes',
  ATTENDANCE_LEFT_EARLY_GRACE_MINUTES: 'attendance.leftEarlyGraceMinutes',
  ATTENDANCE_SETTLE_SECONDS: 'attendance.settleSeconds',
  ATTENDANCE_RETENTION_DAYS: 'attendance.retentionDays',
  GRADE_MAX_ATTEMPTS: 'grades.maxAttempts',
  GRADE_CONCURRENCY: 'grades.concurrency',
  GRADE_POLL_SECONDS: 'grades.pollSeconds',
  ADMIN_API_KEY: 'admin.apiKey',
  DEMO_ENABLED: 'demo.enabled',
  ROOM_TOKEN_TTL_SECONDS: 'rooms.tokenTtlSeconds',
  RECORDING_ENABLED: 'recordings.enabled',
  EGRESS_HEALTH_URL: 'recordings.egressHealthUrl',
  RECORDER_PAGE_URL: 'recordings.recorderPageUrl',
  RECORDINGS_EGRESS_DIR: 'recordings.egressDir',
  RECORDING_RECONCILE_SECONDS: 'recordings.reconcileSeconds',
  RECORDING_EGRESS_LOST_SECONDS: 'recordings.egressLostSeconds',
  RECORDING_START_TIMEOUT_MS: 'recordings.startTimeoutMs',
  RECORDINGS_DIR: 'recordings.dir',
  RECORDINGS_STORAGE: 'recordings.storage.kind',
  RECORDINGS_S3_BUCKET: 'recordings.storage.bucket',
  RECORDINGS_S3_ENDPOINT: 'recordings.storage.endpoint',
  RECORDINGS_S3_REGION: 'recordings.storage.region',
  RECORDINGS_S3_FORCE_PATH_STYLE: 'recordings.storage.forcePathStyle',
  RECORDINGS_S3_PREFIX: 'recordings.storage.prefix',
  RECORDINGS_S3_ACCESS_KEY: 'recordings.storage.accessKey',
  RECORDINGS_S3_SECRET: 'recordings.storage.secret',
  RECORDING_LINK_TTL_SECONDS: 'recordings.linkTtlSeconds',
  RECORDING_LINK_SECRET: 'recordings.linkSecret',
  RECORDING_RETENTION_DAYS: 'recordings.retentionDays',
  BRANDING_COLOR: 'branding.color',
  BRANDING_LOGO_URL: 'branding.logoUrl',
  LTI_LOGIN_RATE_LIMIT: 'limits.ltiLogin.max',
  DYNAMIC_REGISTRATION_RATE_LIMIT: 'limits.dynamicRegistration.max',
  SPACE_JOIN_RATE_LIMIT: 'limits.spaceJoin.max',
  SPACE_PASSCODE_RATE_LIMIT: 'limits.spacePasscode.max',
  INTEGRATOR_LAUNCH_RATE_LIMIT: 'limits.integratorLaunch.max',
  INTEGRATOR_CONTROL_RATE_LIMIT: 'limits.integratorControls.max',
  INTEGRATOR_SEARCH_RATE_LIMIT: 'limits.integratorSearch.max',
  ROOM_REQUEST_RATE_LIMIT: 'limits.roomRequests.max',
  SESSIONS_PER_JOIN_LINK: 'limits.sessionsPerJoinLink',
  ACTIVITIES_PER_DEEP_LINKING_LAUNCH: 'limits.activitiesPerDeepLinkingLaunch',
};

const SECRET_KEYS = [
  'livekit.apiKey',
  'livekit.apiSecret',
  'lti.encryptionKey',
  'admin.apiKey',
  'recordings.linkSecret',
  'recordings.storage.accessKey',
  'recordings.storage.secret',
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Readonly<AppConfig> {
  const env = options.env ?? process.env;
  const dir = options.configDir ?? configDir();
  const appEnv = env.NODE_ENV ?? 'development';
  const problems: string[] = [];

  const merged: Tree = { env: appEnv };
  const layer = (file: string, required: boolean): void => {
    if (!existsSync(file)) {
      if (required) problems.push(`config file ${file} does not exist`);
      return;
    }
    const tree = readJson(file, problems);
    for (const key of SECRET_KEYS) {
      if (getPath(tree, key) !== undefined) {
        problems.push(`${key}: secrets are read from the environment only, remove it from ${path.basename(file)}`);
      }
    }
    deepMerge(merged, tree);
  };
  layer(path.join(dir, 'default.json'), true);
  layer(path.join(dir, `${appEnv}.json`), false);
  if (env.CONFIG_FILE) layer(path.resolve(env.CONFIG_FILE), true);

  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') setPath(merged, key, coerce(raw));
  }

  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(root)';
      const envName = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];
      const hint = envName ? ` (set ${envName})` : '';
      problems.push(`${key}: ${issue.message}${hint}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}

/** The URL the server SDK talks to; the browser may reach LiveKit through a different public URL. */
export function livekitApiUrl(config: Pick<AppConfig, 'livekit'>): string {
  return config.livekit.apiUrl ?? config.livekit.url.replace(/^ws/, 'http');
}
