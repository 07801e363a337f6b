import type { LaunchSession } from '../lti/launch-session-store.js';
import { toMember } from '../lti/launch-member.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { roomKeyOf } from '../rooms/room-owner.js';
import { targetOfLaunch, type GradeTarget } from './grade-target.js';
import type { LineItemResolution } from './line-item.js';

/**
 * After a teacher's launch into a graded class: keep where its grades go, and find (or make) its line item
 * while the launch's grant is fresh, so the gradebook column exists before the first class ends.
 */
export function prepareGradesOnLaunch(deps: {
  activities: Pick<ActivityStore, 'find'>;
  grades: {
    record(target: GradeTarget): Promise<void>;
    lineItem(target: GradeTarget, options: { create: boolean }): Promise<LineItemResolution>;
  };
}): (session: LaunchSession) => Promise<void> {
  return async (session) => {
    if (session.role !== 'instructor' || session.messageType !== 'LtiResourceLinkRequest' || !session.activityId)
      return;
    const activity = await deps.activities.find(session.platformId, session.activityId);
    if (!activity?.settings.grading.enabled) return;
    const owner = toMember(session, activity).owner;
    const target = targetOfLaunch(session, {
      roomKey: roomKeyOf(owner),
      activityId: activity.id,
      settings: activity.settings,
    });
    if (!target) return;
    await deps.grades.record(target);
    await deps.grades.lineItem(target, { create: true });
  };
}
