import type { Source } from './grants.js';
import type { ControlChange, RoomLayout } from './room-facts.js';
import type { OwnerRef, RoomOwner } from './room-owner.js';

export type RoomState = 'created' | 'live' | 'ended';

/** Per-session powers an instructor changed, derived from the session's facts (see room-facts.ts). */
export interface ParticipantControl {
  promoted?: boolean;
  mutedSources?: Source[];
  removed?: boolean;
  handRaised?: boolean;
  /** Deafened: may not subscribe (hears and sees nobody) until undeafened. */
  deaf?: boolean;
  /** The member's metadata keys (an integrator's), written to the SFU as `meta.<key>` attributes. */
  metadata?: Record<string, string>;
  /** Waiting room: pending until an instructor admits or denies. */
  waiting?: 'pending' | 'admitted' | 'denied';
  name?: string;
  role?: string;
  waitingSince?: Date;
}

export interface RoomRecord {
  /** Also the LiveKit room name. */
  key: string;
  owner: RoomOwner;
  activityId?: string;
  state: RoomState;
  locked: boolean;
  /** Participants may publish data (the chat) unless an instructor turned it off; back on for the next session. */
  chatEnabled: boolean;
  /** How every page lays the class out (a leader's choice; carried to the next session). */
  layout: RoomLayout;
  /** The room's metadata keys (an integrator's; carried to the next session). */
  metadata: Record<string, string>;
  /** The latest class session opened (it may have ended). */
  currentSessionId?: string;
  controls: Record<string, ParticipantControl>;
  createdAt: Date;
  updatedAt: Date;
}

/** One live meeting of a room, from its first join (or room_started) to room_finished or the leader's end. */
export interface ClassSession {
  sessionId: string;
  roomKey: string;
  livekitSid?: string;
  startedAt: Date;
  endedAt?: Date;
  peakParticipants: number;
  /** Identities currently connected, derived from the join/leave facts (attendance builds on them too). */
  present: string[];
}

/**
 * A class session without its presence: what the webhook path needs (which session, since when). Presence
 * is derived from every join and leave of the session, so reading it costs in proportion to them.
 */
export type ClassSessionInfo = Omit<ClassSession, 'peakParticipants' | 'present'>;

export type ParticipantEventKind = 'joined' | 'left';

export interface ParticipantEvent {
  eventId: string;
  roomKey: string;
  sessionId?: string;
  identity: string;
  name: string;
  role?: string;
  kind: ParticipantEventKind;
  at: Date;
  /** The breakout's SFU room, for a join or leave there (absent: the class's own room). */
  place?: string;
}

export interface RoomStore {
  /** Creates the room record on first use; later calls return it unchanged. */
  ensure(
    input: Omit<
      RoomRecord,
      | 'state'
      | 'locked'
      | 'chatEnabled'
      | 'layout'
      | 'metadata'
      | 'controls'
      | 'createdAt'
      | 'updatedAt'
      | 'currentSessionId'
    >,
  ): Promise<RoomRecord>;
  get(key: string): Promise<RoomRecord | undefined>;
  /** The keys of every room an LMS registration or integrator API key owns (read through an index). */
  keysOf(owner: OwnerRef): Promise<string[]>;
  /**
   * Records a leader action (or a knock at the waiting room) as a fact of the room's class session and
   * returns the room with it. Doing what is already so records nothing; concurrent actions are all kept.
   */
  change(key: string, change: ControlChange, at?: Date): Promise<RoomRecord>;
  /**
   * Decides a waiting participant's current wait once: the first decision (from any instructor, in any
   * tool instance) is kept and recorded; every later or concurrent one gets it back.
   */
  decideWaiting(key: string, identity: string, decision: 'admitted' | 'denied'): Promise<'admitted' | 'denied'>;
  /**
   * Starts a class session unless the room has one open; returns the open one. Its controls start clean,
   * except waits still pending, which carry over.
   */
  openClassSession(key: string, livekitSid: string | undefined, at: Date): Promise<ClassSessionInfo>;
  /** Ends the room's open class session (if any); the next one starts unlocked, with chat on. */
  closeClassSession(key: string, at: Date): Promise<ClassSessionInfo | undefined>;
  /** The room's latest class session (open, or ended), with who is present. */
  currentClassSession(key: string): Promise<ClassSession | undefined>;
  /** The room's latest class session without reading who is present (see ClassSessionInfo). */
  latestClassSession(key: string): Promise<ClassSessionInfo | undefined>;
  /** Class sessions not ended yet, oldest first, at most `limit` (the session sweeper's list). */
  openClassSessions(limit: number): Promise<ClassSessionInfo[]>;
  /** Records a join/leave once per webhook event id (presence and peak are derived from these). */
  recordParticipant(event: ParticipantEvent): Promise<boolean>;
  participantEvents(roomKey: string): Promise<ParticipantEvent[]>;
}
