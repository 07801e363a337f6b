import type { Source } from '../livekit/gateway.js';
import type { ControlChange } from './room-facts.js';
import type { Member } from './room-service.js';

/** The leader's controls as words: what can be done to a participant, to everyone, to the room, to a knock. */
export const PARTICIPANT_ACTIONS = [
  'mute-audio',
  'mute-video',
  'allow-audio',
  'allow-video',
  'remove',
  'promote',
  'demote',
  'deaf',
  'undeaf',
  'raise-hand',
  'lower-hand',
] as const;
/**
 * Actions on everyone (or on the `participants` named, less the `exclude`d): never on the leader acting,
 * and on instructors only when named. `mute-all` is the microphone's.
 */
export const BULK_ACTIONS = [
  'remove-all',
  'mute-all',
  'mute-all-video',
  'allow-all-audio',
  'allow-all-video',
  'deaf-all',
  'undeaf-all',
] as const;
export const ROOM_ACTIONS = ['lock', 'unlock', 'chat-off', 'chat-on', 'end'] as const;
/** The most identities one bulk action names (in `participants` or `exclude`). */
export const BULK_MAX = 1000;
export const WAITING_ACTIONS = ['admit', 'deny'] as const;
/** The most people one "Admit all" lets in: the largest class an activity allows (activity-settings.ts). */
export const ADMIT_ALL_MAX = 1000;

export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];
export type RoomAction = (typeof ROOM_ACTIONS)[number];
export type BulkAction = (typeof BULK_ACTIONS)[number];
export interface BulkTargets {
  participants?: readonly string[];
  exclude?: readonly string[];
}

/** The participant action each bulk action takes on every target. */
export const EACH: Record<BulkAction, ParticipantAction> = {
  'remove-all': 'remove',
  'mute-all': 'mute-audio',
  'mute-all-video': 'mute-video',
  'allow-all-audio': 'allow-audio',
  'allow-all-video': 'allow-video',
  'deaf-all': 'deaf',
  'undeaf-all': 'undeaf',
};

/**
 * Whoever leads: an instructor of the class, or an integrator's API key acting on its space's room (then
 * `auditAs` names the key in the audit, since no person in the room did it).
 */
export type Leader = Member & { auditAs?: string };

/** What a control changed, for the integrators' webhooks (queued before the control answers). */
export interface ControlEvent {
  type: 'room.updated' | 'member.updated' | 'layout.changed';
  roomKey: string;
  sessionId?: string;
  action: string;
  identity?: string;
  at: Date;
}

/** A member as the integrator API lists them: who is connected now, with their state. */
export interface RoomMember {
  identity: string;
  name: string;
  role: string;
  joinedAt: Date;
  /** When the hand went up (absent: down). */
  handRaisedAt?: string;
  mutedSources: Source[];
  deaf: boolean;
  metadata: Record<string, string>;
}
export type WaitingAction = (typeof WAITING_ACTIONS)[number];

/** The track each mute or allow acts on. */
export const SOURCE: Partial<Record<ParticipantAction, Source>> = {
  'mute-audio': 'microphone',
  'allow-audio': 'microphone',
  'mute-video': 'camera',
  'allow-video': 'camera',
};

/** What a participant action records (lower-hand too: the hand attribute is the SFU's, the fact is ours). */
export function changeFor(action: ParticipantAction, identity: string): ControlChange {
  const source = SOURCE[action];
  if (source) return { kind: 'muted', identity, source, value: action.startsWith('mute-') };
  if (action === 'promote' || action === 'demote') return { kind: 'promoted', identity, value: action === 'promote' };
  if (action === 'remove') return { kind: 'removed', identity, value: true };
  if (action === 'deaf' || action === 'undeaf') return { kind: 'deaf', identity, value: action === 'deaf' };
  return { kind: 'hand', identity, value: action === 'raise-hand' };
}
