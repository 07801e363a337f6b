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

const ALL: readonly Source[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

/** Least privilege, decided in one place: what a role may do under an activity's settings. */
export function grantsFor(
  role: Role,
  settings: Pick<ActivitySettings, 'audioOnly' | 'publishers'>,
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
  // Participants keep data and their own metadata in every mode: that is how a hand is raised.
  return grants({ roomAdmin: false, sources, data: true, metadata: true });
}

/**
 * The role the SFU actually grants a connected participant, read back from its server-side permission
 * (which only the tool changes). Never take a role from participant metadata: anyone allowed to raise a
 * hand (canUpdateOwnMetadata) can write `"role":"instructor"` there. Inverse of grantsFor: only
 * instructors may share their screen (never muted by a control), only observers have no data channel.
 */
export function roleFromGrants(permission: Pick<Grants, 'canPublishSources' | 'canPublishData'> | undefined): Role {
  if (!permission) return 'participant';
  if (permission.canPublishSources.includes('screen_share')) return 'instructor';
  return permission.canPublishData ? 'participant' : 'observer';
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
