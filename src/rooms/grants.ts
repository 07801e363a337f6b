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
  /** Deafened by an instructor: the SFU sends them no one's audio or video until undeafened. */
  deaf?: boolean;
}

/** Room-wide switches an instructor flips during a class (stored on the room record). */
export interface RoomSwitches {
  /** Chat travels as LiveKit data messages: off means participants may not publish data. */
  chatEnabled: boolean;
}

const ALL: readonly Source[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

/**
 * Participant attributes the tool sets (in the join token, then through the server API): `role` is the
 * launch's role and `hand` the time a hand went up (absent: down). Nobody may update their own name,
 * metadata or attributes (canUpdateOwnMetadata is off for every role), so what others see is the tool's.
 */
export const ROLE_ATTRIBUTE = 'role';
export const HAND_ATTRIBUTE = 'hand';
/** `deaf`: "true" while an instructor has turned the class's sound off for this participant (absent: not). */
export const DEAF_ATTRIBUTE = 'deaf';
/** A member's metadata key `k` is the attribute `meta.k` (set over the integrator API, by the tool only). */
export const META_PREFIX = 'meta.';

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

  // No role is a room admin: that grant makes the join token a RoomService credential for the room (rename
  // or remove anyone, send data as the server). Leaders act through the tool, which checks and audits.
  const listen = state.deaf !== true;
  if (role === 'instructor') return grants({ sources: allowed(ALL), data: true, listen });
  if (role === 'observer') return grants({ sources: [], data: false, listen });

  const speaker = settings.publishers === 'everyone' || state.promoted === true;
  const sources = speaker ? allowed(['camera', 'microphone']) : [];
  // Data is the chat, which the instructor can turn off for the room. Instructors always keep it.
  return grants({ sources, data: room.chatEnabled, listen });
}

const ROLES: ReadonlySet<string> = new Set<Role>(['instructor', 'participant', 'observer']);

/**
 * The role of a connected participant as the SFU holds it: the `role` attribute from the join token, which
 * only the tool can change while the participant may not update its own attributes. A participant that may
 * (a token minted before attributes carried the role) could have written `"role":"instructor"` there, so
 * its role is inferred from its permission instead (roleFromGrants). Never from metadata.
 */
export function roleOfParticipant(p: {
  attributes?: Readonly<Record<string, string>>;
  permission?: Pick<Grants, 'canPublishSources' | 'canUpdateOwnMetadata'>;
}): Role {
  const claimed = p.attributes?.[ROLE_ATTRIBUTE];
  if (p.permission && !p.permission.canUpdateOwnMetadata && claimed && ROLES.has(claimed)) return claimed as Role;
  return roleFromGrants(p.permission);
}

/**
 * The role inferred from a permission of the earlier grant scheme, where participants raised hands through
 * their own metadata: only instructors may share their screen (never muted by a control), only observers
 * may not update their own metadata. Unknown permission: no privilege.
 */
export function roleFromGrants(
  permission: Pick<Grants, 'canPublishSources' | 'canUpdateOwnMetadata'> | undefined,
): Role {
  if (!permission) return 'participant';
  if (permission.canPublishSources.includes('screen_share')) return 'instructor';
  return permission.canUpdateOwnMetadata ? 'participant' : 'observer';
}

function grants(o: { sources: Source[]; data: boolean; listen: boolean }): Grants {
  return {
    roomAdmin: false,
    canPublish: o.sources.length > 0,
    canPublishSources: o.sources,
    canSubscribe: o.listen,
    canPublishData: o.data,
    canUpdateOwnMetadata: false,
    hidden: false,
    recorder: false,
  };
}
