import type { RecordingSettings } from '../rooms/activity-settings.js';
import type { Role } from '../rooms/grants.js';
import type { RecordingStatus } from './recording.js';
import type { WatchBasis } from './recording-links.js';

/**
 * Who may see, watch and manage a class's recordings: one pure table (docs/recordings.md, "Who may watch").
 * Teachers see every recording of their class, whatever its state, and manage them. Everyone else in the
 * course sees only what they may watch: nothing ('instructors'), every finished recording ('course'), or
 * the finished recordings a teacher published ('published'). The integrator API acts for the room's owner.
 */
export type Viewer = { kind: 'person'; identity: string; role: Role } | { kind: 'api'; apiKeyId: string };

export type Viewers = RecordingSettings['viewers'];

/** What of a recording decides whether someone may watch it. */
export interface Watchable {
  status: RecordingStatus;
  published: boolean;
}

const leads = (viewer: Viewer) => viewer.kind === 'api' || viewer.role === 'instructor';

/** Whether the class's recordings are anything to this person (the launcher's Recordings tab). */
export const seesRecordings = (viewer: Viewer, viewers: Viewers): boolean => leads(viewer) || viewers !== 'instructors';

/** Deleting and publishing: teachers, and the integrator for its own rooms. */
export const managesRecordings = (viewer: Viewer): boolean => leads(viewer);

/** Why this viewer may watch this recording now, or undefined when they may not (yet). */
export function watchBasis(viewer: Viewer, viewers: Viewers, r: Watchable): WatchBasis | undefined {
  if (r.status !== 'ready') return undefined;
  if (viewer.kind === 'api') return 'api';
  if (viewer.role === 'instructor') return 'teacher';
  if (viewers === 'course') return 'course';
  if (viewers === 'published' && r.published) return 'published';
  return undefined;
}

/** Whether the recording is in this viewer's list: a teacher's has all of them, anyone else's what they may watch. */
export const listedFor = (viewer: Viewer, viewers: Viewers, r: Watchable): boolean =>
  leads(viewer) || watchBasis(viewer, viewers, r) !== undefined;

/** An audit entry's actor and a fact's `by`: the identity, or `key:<apiKeyId>`. */
export const actorOf = (viewer: Viewer): string => (viewer.kind === 'api' ? `key:${viewer.apiKeyId}` : viewer.identity);
