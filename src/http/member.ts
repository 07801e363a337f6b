import { AppError } from '../errors.js';
import type { LaunchSession } from '../lti/sessions.js';
import { defaultSettings, type ActivitySettings, type ActivityStore } from '../rooms/activity-settings.js';
import type { Member } from '../rooms/room-service.js';

/** The activity settings a launch opens: the deep-linked activity's, or defaults for a plain link. */
export async function settingsFor(
  session: LaunchSession,
  activities: ActivityStore,
): Promise<{ id: string | null; settings: ActivitySettings }> {
  if (!session.activityId) return { id: null, settings: defaultSettings(session.resourceLink?.title ?? 'Live class') };
  const activity = await activities.find(session.platformId, session.activityId);
  if (!activity) throw new AppError('ACTIVITY_NOT_FOUND');
  return { id: activity.id, settings: activity.settings };
}

/** A room member from a resource link launch; deep linking launches have no room. */
export async function memberFor(session: LaunchSession, activities: ActivityStore): Promise<Member> {
  if (session.messageType !== 'LtiResourceLinkRequest' || !session.resourceLink) {
    throw new AppError('FORBIDDEN', { message: 'This launch does not open a live class.' });
  }
  const { settings } = await settingsFor(session, activities);
  return {
    platformId: session.platformId,
    deploymentId: session.deploymentId,
    contextId: session.context?.id,
    resourceLinkId: session.resourceLink.id,
    activityId: session.activityId,
    userId: session.user.id,
    name: session.user.name,
    role: session.role,
    settings,
  };
}
