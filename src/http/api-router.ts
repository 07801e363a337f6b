import { Router, json } from 'express';
import { mergeBranding, type Branding } from '../branding.js';
import type { LtiProvider } from '../lti/provider.js';
import { answerDeepLinking } from '../lti/deep-linking.js';
import type { PlatformService } from '../lti/platform-store.js';
import type { SessionStore } from '../lti/launch-session-store.js';
import { publicSettings, type ActivityStore } from '../rooms/activity-settings.js';
import type { Member } from '../rooms/room-service.js';
import type { ActivityQuota } from '../rooms/activity-quota.js';
import { asyncHandler } from './async-handler.js';
import { refuseNul } from './nul-guard.js';
import type { DeepLinkingResponse, MeResponse } from './contract.js';
import type { RoomStatus } from '../rooms/room-status.js';
import { activityFor, toMember } from '../lti/launch-member.js';
import { currentLaunch, sessionAuth } from './session-auth.js';

export interface ApiRouterDeps {
  publicUrl: string;
  sessions: SessionStore;
  platforms: PlatformService;
  activities: ActivityStore;
  lti: Pick<LtiProvider, 'signDeepLinkingResponse'>;
  /** The tool's default branding (config); a platform's own branding wins field by field. */
  branding?: Branding;
  /** Room status for /me; absent in setups without rooms. */
  roomStatus?: (member: Member) => Promise<RoomStatus>;
  /** Bounds the activities one deep linking launch creates (src/rooms/activity-quota.ts). */
  activityQuota?: ActivityQuota;
  /** The deployment's recordings.retentionDays (deep linking's bound for an activity's). */
  recordingRetentionDays?: number;
}

/** The launcher's API, authorized by the launch's Bearer token. */
export function apiRouter(deps: ApiRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions), json({ limit: '32kb' }), refuseNul);

  router.get(
    '/me',
    asyncHandler(async (req, res) => {
      const s = currentLaunch(req.launch);
      const platform = await deps.platforms.get(s.platformId);
      const resolved = s.messageType === 'LtiResourceLinkRequest' ? await activityFor(s, deps.activities) : undefined;
      const ready = resolved?.status === 'ready' ? resolved.activity : undefined;
      const body: MeResponse = {
        user: { id: s.user.id, name: s.user.name, role: s.role, email: s.user.email, picture: s.user.picture },
        messageType: s.messageType,
        platform: { id: s.platformId, name: platform?.name ?? s.issuer },
        branding: mergeBranding(deps.branding ?? {}, platform?.branding),
        context: s.context,
        resourceLink: s.resourceLink ? { id: s.resourceLink.id, title: s.resourceLink.title } : undefined,
        activity: ready ? { id: ready.id, settings: publicSettings(ready.settings) } : undefined,
        activityPending: resolved?.status === 'pending' ? true : undefined,
        room: ready && deps.roomStatus ? await deps.roomStatus(toMember(s, ready)) : undefined,
        recordingRetentionDays: s.messageType === 'LtiDeepLinkingRequest' ? deps.recordingRetentionDays : undefined,
        locale: s.locale,
        timezone: s.timezone,
        returnUrl: s.returnUrl,
        sessionExpiresAt: s.expiresAt.toISOString(),
      };
      res.set('cache-control', 'no-store').json(body);
    }),
  );

  router.post(
    '/deep-linking',
    asyncHandler(async (req, res) => {
      const answer = await answerDeepLinking(currentLaunch(req.launch), req.body, deps);
      req.log?.info({ activityId: answer.activityId }, 'activity created by deep linking');
      const body: DeepLinkingResponse = answer;
      res.status(201).set('cache-control', 'no-store').json(body);
    }),
  );
  return router;
}
