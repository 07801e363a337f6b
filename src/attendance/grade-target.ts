import { createHash } from 'node:crypto';
import type { LaunchSession } from '../lti/launch-session-store.js';
import { GRADING_DEFAULTS } from '../rooms/activity-settings.js';

/** The AGS scopes a platform may grant (LTI AGS 2.0). */
export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

/**
 * Where a room's grades go, as the latest signed launch into it said: grades are posted long after that
 * launch (a class ends, nobody is launched), so its facts are kept per room.
 */
export interface GradeTarget {
  roomKey: string;
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  contextId: string;
  resourceLinkId: string;
  activityId: string;
  /** The AGS claim's line item container (absent when the platform gave no AGS). */
  lineItemsUrl?: string;
  /** The line item the platform bound to this link (deep linked, or made by the LMS). */
  lineItemUrl?: string;
  scopes: string[];
  /** The course roster service (NRPS) and the user whose launch said so: the roster is read after class. */
  membershipsUrl?: string;
  launchUserId: string;
  /** For a line item we create: its label and points. */
  label: string;
  scoreMaximum: number;
  updatedAt: Date;
}

/** Implemented in src/db/grade-target-store.ts. */
export interface GradeTargetStore {
  /**
   * Last writer wins, by design: every writer writes what a signed launch into the room said, so any of
   * them is a true answer, and the newest launch is the best one.
   */
  put(target: GradeTarget): Promise<void>;
  get(roomKey: string): Promise<GradeTarget | undefined>;
}

/**
 * The activity's line item in the LMS, named without asking it: one per platform, course and resource
 * link. Grade jobs, the stored line item reference and its creation lease are keyed by it.
 */
export function lineItemKeyOf(t: Pick<GradeTarget, 'platformId' | 'contextId' | 'resourceLinkId'>): string {
  const digest = createHash('sha256').update([t.platformId, t.contextId, t.resourceLinkId].join('\u0000'));
  return `li_${digest.digest('base64url').slice(0, 32)}`;
}

/** The grade target a launch into a room gives; undefined for a launch outside a course or a link. */
export function gradeTargetOf(
  s: LaunchSession,
  room: { roomKey: string; activityId: string; label: string; scoreMaximum: number },
  now = new Date(),
): GradeTarget | undefined {
  if (!s.context?.id || !s.resourceLink?.id) return undefined;
  return {
    ...room,
    platformId: s.platformId,
    issuer: s.issuer,
    clientId: s.clientId,
    deploymentId: s.deploymentId,
    contextId: s.context.id,
    resourceLinkId: s.resourceLink.id,
    ...(s.services.lineItems ? { lineItemsUrl: s.services.lineItems } : {}),
    ...(s.services.lineItem ? { lineItemUrl: s.services.lineItem } : {}),
    scopes: [...(s.services.agsScopes ?? [])],
    ...(s.services.membershipsUrl ? { membershipsUrl: s.services.membershipsUrl } : {}),
    launchUserId: s.user.id,
    updatedAt: now,
  };
}

/** Where this launch's room posts grades, or undefined when the launch came without AGS. */
export function targetOfLaunch(
  launch: LaunchSession,
  scope: { roomKey: string; activityId?: string; settings: { title: string; grading: { maxPoints?: number } } },
): GradeTarget | undefined {
  if ((!launch.services.lineItems && !launch.services.lineItem) || !scope.activityId) return undefined;
  return gradeTargetOf(launch, {
    roomKey: scope.roomKey,
    activityId: scope.activityId,
    label: scope.settings.title,
    scoreMaximum: scope.settings.grading.maxPoints ?? GRADING_DEFAULTS.maxPoints,
  });
}
