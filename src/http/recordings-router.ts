import { Router, json, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SessionStore } from '../lti/launch-session-store.js';
import { memberFor } from '../lti/launch-member.js';
import type { Logger } from '../log.js';
import { managesRecordings, type Viewer } from '../recordings/recording-access.js';
import type { LibraryScope, RecordingEntry, RecordingLibrary } from '../recordings/recording-library.js';
import type { SignedLink } from '../recordings/recording-links.js';
import { recordingOf, type ActivityStore } from '../rooms/activity-settings.js';
import { identityIn, roomKeyOf } from '../rooms/room-owner.js';
import { asyncHandler } from './async-handler.js';
import type { RecordingDto, RecordingLink, RecordingLinksResponse, RecordingsResponse } from './contract.js';
import { refuseNul } from './nul-guard.js';
import type { RateRule } from './rate-limit.js';
import { currentLaunch, perLaunchLimit, sessionAuth } from './session-auth.js';

/** A file recording's id: the session's id and its seq (src/recordings/recording.ts, recordingIdOf). */
export const recordingIdSchema = z.string().regex(/^ses_[\w-]{1,64}\.r\d{1,4}$/, 'not a recording id');

export interface RecordingsRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  library: RecordingLibrary;
  /** Writes per launch session (config `limits.roomRequests`, shared with /api/room). */
  rateLimit: RateRule;
  logger?: Logger;
}

const iso = (d: Date | undefined) => d?.toISOString();

export function recordingJson(e: RecordingEntry): RecordingDto {
  const r = e.recording;
  return {
    recordingId: r.recordingId,
    sessionId: r.sessionId,
    requestedAt: r.requestedAt.toISOString(),
    ...(e.startedAt ? { startedAt: iso(e.startedAt) } : {}),
    ...(e.endedAt ? { endedAt: iso(e.endedAt) } : {}),
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
    ...(e.sizeBytes !== undefined ? { sizeBytes: e.sizeBytes } : {}),
    status: e.status,
    audioOnly: r.audioOnly,
    published: e.published,
    keptUntil: e.keptUntil.toISOString(),
    ...(e.deleted ? { deletedAt: e.deleted.at.toISOString() } : {}),
  };
}

const linkJson = (l: SignedLink): RecordingLink => ({ url: l.url, expiresAt: l.expiresAt.toISOString() });

/**
 * /api/room/recordings: the launch's class's recordings (who may see which: src/recordings/recording-access.ts),
 * signed links to watch and download one, and for teachers deleting and publishing.
 */
export function recordingsRouter(deps: RecordingsRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));
  router.use(json({ limit: '1kb' }), refuseNul);
  router.use(perLaunchLimit(deps.rateLimit, deps.logger));

  const scopeOf = async (req: Request): Promise<{ scope: LibraryScope; viewer: Viewer }> => {
    const launch = currentLaunch(req.launch);
    const member = await memberFor(launch, deps.activities);
    const identity = identityIn(member.owner, member.userId);
    return {
      scope: { roomKey: roomKeyOf(member.owner), settings: member.settings, timeZone: launch.timezone },
      viewer: { kind: 'person', identity, role: member.role },
    };
  };
  const idOf = (req: Request): string => {
    const parsed = recordingIdSchema.safeParse(req.params.recordingId);
    if (!parsed.success) throw new AppError('RECORDING_NOT_FOUND');
    return parsed.data;
  };

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const { scope, viewer } = await scopeOf(req);
      const body: RecordingsResponse = {
        viewers: recordingOf(scope.settings).viewers,
        canManage: managesRecordings(viewer),
        retentionDays: deps.library.retentionDaysOf(scope.settings),
        recordings: (await deps.library.list(scope, viewer)).map(recordingJson),
      };
      res.json(body);
    }),
  );

  router.post(
    '/:recordingId/links',
    asyncHandler(async (req, res) => {
      const { scope, viewer } = await scopeOf(req);
      const { play, download } = await deps.library.links(scope, viewer, idOf(req));
      res.json({ play: linkJson(play), download: linkJson(download) } satisfies RecordingLinksResponse);
    }),
  );

  router.post(
    '/:recordingId/:action',
    asyncHandler(async (req, res) => {
      const action = z.enum(['publish', 'unpublish']).safeParse(req.params.action);
      if (!action.success) throw new AppError('NOT_FOUND', { details: { path: req.path } });
      const { scope, viewer } = await scopeOf(req);
      const entry = await deps.library.setPublished(scope, viewer, idOf(req), action.data === 'publish');
      res.json(recordingJson(entry));
    }),
  );

  router.delete(
    '/:recordingId',
    asyncHandler(async (req, res) => {
      const { scope, viewer } = await scopeOf(req);
      await deps.library.remove(scope, viewer, idOf(req));
      res.status(204).end();
    }),
  );
  return router;
}
