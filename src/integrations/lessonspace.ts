import type { Role } from '../rooms/grants.js';

/**
 * Lessonspace's words for what the integrator API already does (docs/integrator-api.md#lessonspace), so a
 * site written against Lessonspace's launch endpoint works here unchanged.
 */

/** Lessonspace's webhook events, `<group>.<event>` as in its launch body's `webhooks.<group>.<event>`. */
export const LESSONSPACE_EVENT_TYPES = [
  'session.start',
  'session.end',
  'session.idle',
  'user.join',
  'user.leave',
  'user.idle',
] as const;
export type LessonspaceEventType = (typeof LESSONSPACE_EVENT_TYPES)[number];

/** Our event each Lessonspace event is sent for; `session.idle` is the last leave of a session. */
export const LESSONSPACE_EVENT_OF: Readonly<Record<string, LessonspaceEventType>> = {
  'session.started': 'session.start',
  'session.ended': 'session.end',
  'participant.joined': 'user.join',
  'participant.left': 'user.leave',
};

const INSTRUCTOR_WORDS = new Set([
  'instructor',
  'teacher',
  'tutor',
  'leader',
  'host',
  'moderator',
  'facilitator',
  'presenter',
  'trainer',
  'lecturer',
  'professor',
  'coach',
]);
const OBSERVER_WORDS = new Set(['observer', 'viewer', 'spectator', 'auditor', 'watcher']);

/**
 * The role a launch grants. `leader` decides instructor powers when given (a "teacher" with
 * `leader: false` leads nothing); without it a role word maps by meaning, and anything unknown is a
 * participant, so no free-text word can grant more than the integrator meant.
 */
export function roleOfLaunch(user: { role?: string; leader?: boolean }): Role {
  const word = user.role?.trim().toLowerCase() ?? '';
  if (user.leader === true) return 'instructor';
  if (OBSERVER_WORDS.has(word)) return 'observer';
  if (user.leader === undefined && INSTRUCTOR_WORDS.has(word)) return 'instructor';
  return 'participant';
}
