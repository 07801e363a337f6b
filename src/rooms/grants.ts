import type { ParticipantGrants, Source } from '../livekit/gateway.js';
import type { ActivitySettings } from './activity-settings.js';

export type { Source };
export type Role = 'instructor' | 'participant' | 'observer';
export type Grants = ParticipantGrants;

/** Per-participant facts that change a participant's powers during a session. */
export interface ParticipantState {
  /** Webinar mode: a participant an instructor promoted to speaker. */
  promoted?: boolean;
  /** Sources an instructor muted: removed from the publish permission until allowed again (sticky). */
  mutedSources?: readonly Source[];
}

/** Room-wide switches an instructor flips during a class (stored on the room record). */
export interface RoomSwitches {
  /** Chat travels as LiveKit data messages: off means participants may not publish data. */
  chatEnabled: boolean;
}

const ALL: readonly Source[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

/** Least privilege, decided in one place: what a role may do under an activity's settings and the room's switches. */
export function grantsFor(
  role: Role,
  settings: Pick<ActivitySettings, 'audioOnly' | 'publishers'>,
  room: RoomSwitches,
  state: ParticipantState = {},
): Grants {
  const muted = new Set(state.mutedSources ?? []);
  const allowed = (sources: readonly Source[]): Source[] =>
    sources.filter((s) => !(settings.audioOnly && s === 'camera')).filter((s) => !muted.has(s));

  if (role === 'instructor') {
    const sources = allowed(ALL);
    return grants({ roomAdmin: true, sources, data: true, metadata: true });
  }
  if (role === 'observer') return grants({ roomAdmin: false, sources: [], data: false, metadata: false });

  const speaker = settings.publishers === 'everyone' || state.promoted === true;
  const sources = speaker ? allowed(['camera', 'microphone']) : [];
  // Participants keep their own metadata in every mode (that is how a hand is raised); data is the chat,
  // which the instructor can turn off for the room. Instructors always keep it.
  return grants({ roomAdmin: false, sources, data: room.chatEnabled, metadata: true });
}

/**
 * The role the SFU actually grants a connected participant, read back from its server-side permission
 * (which only the tool changes). Never take a role from participant metadata: anyone allowed to raise a
 * hand (canUpdateOwnMetadata) can write `"role":"instructor"` there. Inverse of grantsFor: only
 * instructors may share their screen (never muted by a control), only observers may not update their own
 * metadata. Not the data permission: participants lose it while chat is off and stay participants.
 */
export function roleFromGrants(
  permission: Pick<Grants, 'canPublishSources' | 'canUpdateOwnMetadata'> | undefined,
): Role {
  if (!permission) return 'participant';
  if (permission.canPublishSources.includes('screen_share')) return 'instructor';
  return permission.canUpdateOwnMetadata ? 'participant' : 'observer';
}

function grants(o: { roomAdmin: boolean; sources: Source[]; data: boolean; metadata: boolean }): Grants {
  return {
    roomAdmin: o.roomAdmin,
    canPublish: o.sources.length > 0,
    canPublishSources: o.sources,
    canSubscribe: true,
    canPublishData: o.data,
    canUpdateOwnMetadata: o.metadata,
    hidden: false,
    recorder: false,
  };
}
