import { AppError } from '../errors.js';
import type { LaunchSession, NewLaunchSession } from './launch-session-store.js';
import { resolveActivity, type ActivityLaunch, type ResolvedActivity } from '../rooms/activity-resolver.js';
import type { Activity, ActivityStore } from '../rooms/activity-settings.js';
import { ownerOfLaunch } from '../rooms/room-owner.js';
import type { Member } from '../rooms/room-service.js';

/** The resolver's view of a resource link launch; undefined for deep linking, which opens no class. */
export function activityLaunchOf(session: NewLaunchSession): ActivityLaunch | undefined {
  if (session.messageType !== 'LtiResourceLinkRequest' || !session.resourceLink) return undefined;
  return {
    platformId: session.platformId,
    deploymentId: session.deploymentId,
    contextId: session.context?.id,
    resourceLinkId: session.resourceLink.id,
    role: session.role,
    userId: session.user.id,
    title: session.resourceLink.title,
    hints: session.activityHints ?? [],
  };
}

/**
 * At launch: the id of the class a resource link launch opens (undefined while it awaits its teacher, and
 * for deep linking). A link naming another course's class fails the launch with ACTIVITY_NOT_FOUND.
 */
export async function activityAtLaunch(
  session: NewLaunchSession,
  activities: ActivityStore,
): Promise<string | undefined> {
  const launch = activityLaunchOf(session);
  if (!launch) return undefined;
  const resolved = await resolveActivity(launch, activities);
  return resolved.status === 'ready' ? resolved.activity.id : undefined;
}

/**
 * The live class a launch opens. Found at launch; a learner who launched before the teacher set up the link
 * is looked up again, so the class opens for them as soon as it exists.
 */
export async function activityFor(session: LaunchSession, activities: ActivityStore): Promise<ResolvedActivity> {
  const launch = activityLaunchOf(session);
  if (!launch) throw new AppError('FORBIDDEN', { message: 'This launch does not open a live class.' });
  if (session.activityId) {
    const found = await activities.find(session.platformId, session.activityId);
    if (!found) throw new AppError('ACTIVITY_NOT_FOUND');
    return { status: 'ready', activity: found };
  }
  return resolveActivity(launch, activities);
}

/** A room member from a resource link launch; deep linking launches have no room. */
export async function memberFor(session: LaunchSession, activities: ActivityStore): Promise<Member> {
  const resolved = await activityFor(session, activities);
  if (resolved.status === 'pending') throw new AppError('ACTIVITY_NOT_SET_UP');
  return toMember(session, resolved.activity);
}

/** The member a resource link launch makes of its user in the activity's room. */
export function toMember(session: LaunchSession, activity: Activity): Member {
  return {
    owner: ownerOfLaunch({
      platformId: session.platformId,
      deploymentId: session.deploymentId,
      contextId: session.context?.id,
      resourceLinkId: session.resourceLink?.id ?? '',
    }),
    activityId: activity.id,
    userId: session.user.id,
    name: session.user.name,
    role: session.role,
    settings: activity.settings,
  };
}
