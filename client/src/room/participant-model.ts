import { Track, type AudioTrack, type Participant, type Room, type VideoTrack } from 'livekit-client';
import type { AppRole } from '../api/contract';
import { mayPublish, parseMetadata } from './room-connection';

/** What a tile, the leader panel and the announcements need to know about one participant. */
export interface ParticipantModel {
  participant: Participant;
  identity: string;
  name: string;
  role: AppRole;
  isLocal: boolean;
  handRaised: boolean;
  micOn: boolean;
  cameraOn: boolean;
  /** The teacher took the source away (it is not in the participant's publish permission). */
  micBlocked: boolean;
  cameraBlocked: boolean;
  speaking: boolean;
  videoTrack?: VideoTrack;
  /** Remote participants only: local audio is never played back. */
  audioTrack?: AudioTrack;
}

const SCREEN_SHARE = Track.sourceToProto(Track.Source.ScreenShare);

/**
 * The role the SFU granted, read from the participant's permission like the server does (metadata is
 * self-editable, so a role written there only counts when no permission is known).
 */
export function roleOf(p: Participant): AppRole {
  const permission = p.permissions;
  if (permission) {
    if (permission.canPublishSources.includes(SCREEN_SHARE)) return 'instructor';
    return permission.canPublishData ? 'participant' : 'observer';
  }
  const role = parseMetadata(p.metadata).role;
  return role === 'instructor' || role === 'observer' ? role : 'participant';
}

export function modelOf(p: Participant, isLocal: boolean): ParticipantModel {
  const camera = p.getTrackPublication(Track.Source.Camera);
  const mic = p.getTrackPublication(Track.Source.Microphone);
  const videoTrack = camera?.track && !camera.isMuted ? (camera.track as VideoTrack) : undefined;
  const audioTrack = !isLocal && mic?.track ? (mic.track as AudioTrack) : undefined;
  return {
    participant: p,
    identity: p.identity,
    name: p.name || p.identity,
    role: roleOf(p),
    isLocal,
    handRaised: parseMetadata(p.metadata).handRaised === true,
    micOn: Boolean(mic && !mic.isMuted),
    cameraOn: Boolean(camera && !camera.isMuted),
    micBlocked: !mayPublish(p, 'microphone'),
    cameraBlocked: !mayPublish(p, 'camera'),
    speaking: p.isSpeaking,
    videoTrack,
    audioTrack,
  };
}

const ROLE_ORDER: Record<AppRole, number> = { instructor: 0, participant: 1, observer: 2 };

/** Everyone in the room: you first, then instructors, then the others by name. */
export function participantsOf(room: Room): ParticipantModel[] {
  const remote = [...room.remoteParticipants.values()]
    .map((p) => modelOf(p, false))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name));
  return [modelOf(room.localParticipant, true), ...remote];
}

export const ROLE_LABEL: Record<AppRole, string> = {
  instructor: 'Teacher',
  participant: 'Student',
  observer: 'Observer',
};
