import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ActivityQuota } from '../rooms/activity-quota.js';
import {
  activitySettingsSchema,
  availability,
  requireRetentionWithin,
  type ActivitySettings,
  type ActivityStore,
} from '../rooms/activity-settings.js';
import type { LaunchSession } from './launch-session-store.js';
import { LINK_CUSTOM, linkLaunchUrl } from './link-parameters.js';
import type { LtiProvider } from './provider.js';

/** Our line items carry this tag, so a later launch finds the activity's line item again instead of adding one. */
export const LINE_ITEM_TAG = 'live-class-attendance';

export interface DeepLinkingDeps {
  publicUrl: string;
  activities: ActivityStore;
  lti: Pick<LtiProvider, 'signDeepLinkingResponse'>;
  /** Bounds the activities one deep linking launch creates (src/rooms/activity-quota.ts). */
  activityQuota?: ActivityQuota;
  /** The deployment's recordings.retentionDays: an activity may keep its recordings less long, never longer. */
  recordingRetentionDays?: number;
}

export interface DeepLinkingAnswer {
  /** Where the launcher must POST `JWT=<jwt>` (the platform's deep_link_return_url). */
  returnUrl: string;
  jwt: string;
  activityId: string;
}

/**
 * A teacher's choice in the deep linking page becomes a new activity and the signed response that links it:
 * one `ltiResourceLink` content item, with its line item when the activity is graded.
 */
export async function answerDeepLinking(
  s: LaunchSession,
  input: unknown,
  deps: DeepLinkingDeps,
): Promise<DeepLinkingAnswer> {
  if (s.messageType !== 'LtiDeepLinkingRequest' || !s.deepLinking) {
    throw new AppError('FORBIDDEN', { message: 'This launch is not a deep linking request.' });
  }
  // The launch step 'role' refuses such launches already; a second guard costs nothing.
  if (s.role !== 'instructor') throw new AppError('LTI_DEEP_LINKING_FORBIDDEN');
  const settings = activitySettingsSchema.parse(input);
  requireRetentionWithin(settings, deps.recordingRetentionDays);
  await deps.activityQuota?.take(s);
  // Signed before it is stored: a response we cannot build must not leave an activity nobody links to.
  const activityId = `act_${randomBytes(12).toString('base64url')}`;
  const jwt = await deps.lti.signDeepLinkingResponse(
    {
      issuer: s.issuer,
      clientId: s.clientId,
      deploymentId: s.deploymentId,
      userId: s.user.id,
      deepLinkingSettings: {
        deep_link_return_url: s.deepLinking.returnUrl,
        accept_types: s.deepLinking.acceptTypes,
        accept_multiple: s.deepLinking.acceptMultiple,
        ...(s.deepLinking.data !== undefined ? { data: s.deepLinking.data } : {}),
      },
    },
    [contentItem(settings, activityId, `${deps.publicUrl}/lti/launch`)],
    `Added "${settings.title}"`,
  );
  await deps.activities.ensure({
    id: activityId,
    platformId: s.platformId,
    deploymentId: s.deploymentId,
    contextId: s.context?.id,
    settings,
    createdBy: s.user.id,
  });
  return { returnUrl: s.deepLinking.returnUrl, jwt, activityId };
}

/** The activity as an LTI content item: the id travels twice (custom parameter and launch URL), see link-parameters.ts. */
export function contentItem(
  settings: ActivitySettings,
  activityId: string,
  launchUrl: string,
): Record<string, unknown> {
  const item: Record<string, unknown> = {
    type: 'ltiResourceLink',
    title: settings.title,
    text: settings.description || undefined,
    url: linkLaunchUrl(launchUrl, activityId),
    custom: { [LINK_CUSTOM.activityId]: activityId },
    iframe: { width: 1280, height: 800 },
  };
  if (settings.grading.enabled) {
    item.lineItem = {
      scoreMaximum: settings.grading.maxPoints,
      label: `${settings.title} — attendance`,
      resourceId: activityId,
      tag: LINE_ITEM_TAG,
    };
  }
  const window = availability(settings);
  if (window) item.available = { startDateTime: window.start.toISOString(), endDateTime: window.end.toISOString() };
  return item;
}
