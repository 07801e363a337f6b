import type { Source } from './grants.js';
import type { OwnerRef, RoomOwner } from './room-owner.js';

export type RoomState = 'created' | 'live' | 'ended';

/** Per-session powers an instructor changed; reset when a new session starts. */
export interface ParticipantControl {
  promoted?: boolean;
  mutedSources?: Source[];
  removed?: boolean;
  handRaised?: boolean;
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
  currentSessionId?: string;
  controls: Record<string, ParticipantControl>;
  createdAt: Date;
  updatedAt: Date;
}

export interface SessionRecord {
  sessionId: string;
  roomKey: string;
  livekitSid?: string;
  startedAt: Date;
  endedAt?: Date;
  peakParticipants: number;
  /** Identities currently connected, maintained from webhooks (attendance builds on the event log). */
  present: string[];
}

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
}

export interface AuditEntry {
  roomKey: string;
  sessionId?: string;
  actor: string;
  action: string;
  target?: string;
  at: Date;
}

export interface RoomStore {
  /** Creates the room record on first use; later calls return it unchanged. */
  ensure(
    input: Omit<
      RoomRecord,
      'state' | 'locked' | 'chatEnabled' | 'controls' | 'createdAt' | 'updatedAt' | 'currentSessionId'
    >,
  ): Promise<RoomRecord>;
  get(key: string): Promise<RoomRecord | undefined>;
  /** The keys of every room an LMS registration or integrator API key owns (read through an index). */
  keysOf(owner: OwnerRef): Promise<string[]>;
  setState(key: string, patch: { state?: RoomState; locked?: boolean; chatEnabled?: boolean }): Promise<RoomRecord>;
  setControl(key: string, identity: string, patch: ParticipantControl): Promise<RoomRecord>;
  /**
   * Decides a waiting participant's current wait once: the first decision (from any instructor, in any
   * tool instance) is kept and stored in the controls; every later or concurrent one gets it back.
   */
  decideWaiting(key: string, identity: string, decision: 'admitted' | 'denied'): Promise<'admitted' | 'denied'>;
  /** Starts a session unless the room already has one open; returns the open session. */
  openSession(key: string, livekitSid: string | undefined, at: Date): Promise<SessionRecord>;
  /**
   * Closes the room's open session (if any) and turns chat back on for the next class. Per-participant
   * controls are cleared when the next session opens (see openSession).
   */
  closeSession(key: string, at: Date): Promise<SessionRecord | undefined>;
  currentSession(key: string): Promise<SessionRecord | undefined>;
  /** Records a join/leave once per webhook event id and keeps `present`/peak up to date. */
  recordParticipant(event: ParticipantEvent): Promise<boolean>;
  /** True the first time this webhook id is seen (idempotency). */
  markWebhook(id: string, event: string, at: Date): Promise<boolean>;
  hasWebhook(id: string): Promise<boolean>;
  audit(entry: AuditEntry): Promise<void>;
  participantEvents(roomKey: string): Promise<ParticipantEvent[]>;
  auditLog(roomKey: string): Promise<AuditEntry[]>;
}
