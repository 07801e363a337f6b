import {
  ConnectionQuality,
  Track,
  type AudioTrack,
  type Participant,
  type Room,
  type VideoTrack,
} from 'livekit-client';
import type { Role } from '../api/contract';
import { t } from '../i18n';
import { handRaisedAt, roleOf } from './participant-role';
import type { ReactionKey } from './reaction-model';
import { mayPublish } from './local-media';

export { roleOf };

export type Quality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/** What a tile, the people list and the announcements need to know about one participant. */
export interface ParticipantModel {
  participant: Participant;
  identity: string;
  name: string;
  role: Role;
  isLocal: boolean;
  handRaised: boolean;
  /** When the hand went up (ms since the epoch; 0 when unknown): the order instructors take questions in. */
  handRaisedAt: number;
  micOn: boolean;
  cameraOn: boolean;
  /** The teacher took the source away (it is not in the participant's publish permission). */
  micBlocked: boolean;
  cameraBlocked: boolean;
  /** A teacher turned the class's sound off for this person: the SFU sends them nobody's audio or video. */
  deaf: boolean;
  speaking: boolean;
  /** When this participant last spoke (ms since the epoch; 0 when never), for speaker view. */
  lastSpokeAt: number;
  quality: Quality;
  videoTrack?: VideoTrack;
  /** Remote participants only: local audio is never played back. */
  audioTrack?: AudioTrack;
  screenTrack?: VideoTrack;
  screenAudioTrack?: AudioTrack;
  /** A reaction this person sent in the last seconds (reactions.ts), shown on their tile. */
  reaction?: ReactionKey;
}

const QUALITY: Record<ConnectionQuality, Quality> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
  [ConnectionQuality.Unknown]: 'unknown',
};

function trackOf<T>(p: Participant, source: Track.Source, wanted: boolean): T | undefined {
  const publication = p.getTrackPublication(source);
  return wanted && publication?.track && !publication.isMuted ? (publication.track as T) : undefined;
}

export function modelOf(p: Participant, isLocal: boolean): ParticipantModel {
  const camera = p.getTrackPublication(Track.Source.Camera);
  const mic = p.getTrackPublication(Track.Source.Microphone);
  // The tool sets the hand (POST /api/room/hand) with its own clock, so every client orders the queue alike.
  const raisedAt = handRaisedAt(p);
  return {
    participant: p,
    identity: p.identity,
    name: p.name || p.identity,
    role: roleOf(p),
    isLocal,
    handRaised: raisedAt !== undefined,
    handRaisedAt: raisedAt ?? 0,
    micOn: Boolean(mic && !mic.isMuted),
    cameraOn: Boolean(camera && !camera.isMuted),
    micBlocked: !mayPublish(p, 'microphone'),
    cameraBlocked: !mayPublish(p, 'camera'),
    deaf: p.attributes?.deaf === 'true',
    speaking: p.isSpeaking,
    lastSpokeAt: p.lastSpokeAt?.getTime() ?? 0,
    quality: QUALITY[p.connectionQuality] ?? 'unknown',
    videoTrack: trackOf(p, Track.Source.Camera, true),
    audioTrack: trackOf(p, Track.Source.Microphone, !isLocal),
    screenTrack: trackOf(p, Track.Source.ScreenShare, true),
    screenAudioTrack: trackOf(p, Track.Source.ScreenShareAudio, !isLocal),
  };
}

const ROLE_ORDER: Record<Role, number> = { instructor: 0, participant: 1, observer: 2 };

/** Everyone in the room: you first, then instructors, then the others by name. */
export function participantsOf(room: Room): ParticipantModel[] {
  const remote = [...room.remoteParticipants.values()]
    .map((p) => modelOf(p, false))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name));
  return [modelOf(room.localParticipant, true), ...remote];
}

/** Raised hands in the order they went up (the queue an instructor takes questions from). */
export function handQueue(participants: ParticipantModel[]): ParticipantModel[] {
  return participants
    .filter((p) => p.handRaised)
    .sort((a, b) => (a.handRaisedAt || Infinity) - (b.handRaisedAt || Infinity) || a.name.localeCompare(b.name));
}

export const roleLabel = (role: Role): string => t(`role.${role}`);
