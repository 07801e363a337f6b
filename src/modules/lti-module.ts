import { prepareGradesOnLaunch } from '../attendance/grade-launch.js';
import { createActivityQuotaStore, ACTIVITY_QUOTA_INDEXES } from '../db/activity-quota-store.js';
import { ACTIVITY_INDEXES } from '../db/activity-store.js';
import { createLaunchStore, LAUNCH_STORE_INDEXES } from '../db/launch-store.js';
import { SESSION_INDEXES } from '../db/launch-session-store.js';
import { PLATFORM_INDEXES } from '../db/platform-store.js';
import { createReloadTokenStore, RELOAD_TOKEN_INDEXES } from '../db/reload-token-store.js';
import { ROSTER_INDEXES } from '../db/roster-store.js';
import { apiRouter } from '../http/api-router.js';
import { ltiRouter } from '../http/lti-router.js';
import { registrationRouter } from '../http/registration-router.js';
import { sessionReloadRouter } from '../http/session-reload-router.js';
import { createJwksCache } from '../lti/jwks-cache.js';
import { createReloadTokens } from '../lti/reload-tokens.js';
import { randomToken, sha256 } from '../lti/tokens.js';
import { LTIJS_EXPIRING_COLLECTIONS } from '../lti/provider.js';
import type { ToolRegistration } from '../lti/registration.js';
import { createActivityQuota } from '../rooms/activity-quota.js';
import { roomStatusOf } from '../rooms/room-status.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

/** A reload token lasts this long; the launcher asks for a new one well before (client/src/launch-token.ts). */
const RELOAD_TOKEN_TTL_MS = 5 * 60_000;

/** LTI 1.3: login, launch, keys and dynamic registration under /lti; the launcher's own API under /api. */
export function ltiModule(s: Services, registration: ToolRegistration): ToolModule {
  const { config, logger, db, publicUrl } = s;
  return {
    name: 'lti',
    indexes: [
      ...LTIJS_EXPIRING_COLLECTIONS,
      ...PLATFORM_INDEXES,
      ...LAUNCH_STORE_INDEXES,
      ...SESSION_INDEXES,
      ...RELOAD_TOKEN_INDEXES,
      ...ROSTER_INDEXES,
      ...ACTIVITY_INDEXES,
      ...ACTIVITY_QUOTA_INDEXES,
    ],
    mounts: [
      {
        path: '/lti',
        router: ltiRouter({
          publicUrl,
          clockSkewSeconds: config.lti.clockSkewSeconds,
          sessionTtlMs: s.sessionTtlMs,
          store: createLaunchStore(db.connection),
          platforms: s.platforms,
          sessions: s.sessions,
          activities: s.activities,
          jwks: createJwksCache({
            ttlMs: config.lti.jwks.cacheTtlSeconds * 1000,
            minRefreshIntervalMs: config.lti.jwks.minRefreshSeconds * 1000,
            fetchTimeoutMs: config.lti.jwks.fetchTimeoutMs,
            maxBytes: config.lti.jwks.maxBytes,
          }),
          keysRouter: s.lti.keysRouter,
          loginRateLimit: config.limits.ltiLogin,
          onLaunched: prepareGradesOnLaunch({ activities: s.activities, grades: s.grades }),
          logger,
          extra: [
            registrationRouter({
              registration,
              publicUrl,
              platforms: s.platforms,
              allowHttp: config.env !== 'production',
              autoActivate: config.lti.autoActivateDynamicRegistrations,
              rateLimit: config.limits.dynamicRegistration,
              logger,
            }),
          ],
        }),
      },
      {
        // Before /api, whose routes all need the bearer token: the exchange after a reload has none.
        path: '/api/session',
        router: sessionReloadRouter({
          sessions: s.sessions,
          reloadTokens: createReloadTokens({
            store: createReloadTokenStore(db.connection),
            sessions: s.sessions,
            ttlMs: RELOAD_TOKEN_TTL_MS,
            randomToken: () => randomToken(32),
            hash: sha256,
          }),
        }),
      },
      {
        path: '/api',
        router: apiRouter({
          publicUrl,
          sessions: s.sessions,
          platforms: s.platforms,
          activities: s.activities,
          lti: s.lti,
          branding: config.branding,
          recordingRetentionDays: config.recordings.retentionDays,
          roomStatus: (member) =>
            roomStatusOf(
              {
                rooms: s.rooms,
                store: s.roomStore,
                recording: (room, m) => s.recordings.statusOf(room, m.role === 'instructor', m.settings),
              },
              member,
            ),
          activityQuota: createActivityQuota(
            createActivityQuotaStore(db.connection),
            config.limits.activitiesPerDeepLinkingLaunch,
          ),
        }),
      },
    ],
    stop: () => s.lti.close(),
  };
}
