/** Types shared with the launcher (client imports them with `import type`). Plain JSON shapes only. */
import type { AttendanceStatus } from '../attendance/attendance.js';
import type { ActivitySettings, ActivitySettingsInput } from '../rooms/activity-settings.js';
import type { MessageType } from '../lti/claims.js';
import type { Role } from '../rooms/grants.js';
import type { RoomStatus } from '../rooms/room-status.js';
import type { PollView } from '../polls/polls.js';
import type { RecordingStatus } from '../recordings/recording.js';

export type { ActivitySettings, ActivitySettingsInput, AttendanceStatus, MessageType, Role, RoomStatus };

export interface ErrorResponse {
  /** `formerCode`: the old name of a renamed code (docs/errors.md, "Renamed codes"). */
  error: { code: string; message: string; details?: Record<string, unknown>; formerCode?: string };
}

export interface MeResponse {
  user: { id: string; name: string; role: Role; email?: string; picture?: string };
  messageType: MessageType;
  platform: { id: string; name: string };
  /** The launcher's look for this platform (its override, else the tool default); absent when neither is set. */
  branding?: { color?: string; logoUrl?: string };
  context?: { id: string; label?: string; title?: string };
  resourceLink?: { id: string; title?: string };
  /** The live class this launch opens; absent for deep linking, and while activityPending. */
  activity?: { id: string; settings: ActivitySettings };
  /** A link nobody set up yet: its class is created when a teacher first opens it (learners wait). */
  activityPending?: true;
  /** The room this launch opens (absent for deep linking). */
  room?: RoomStatus;
  /**
   * Deep linking: the deployment's recordings.retentionDays, the longest an activity may keep its recordings
   * (the form's bound).
   */
  recordingRetentionDays?: number;
  locale?: string;
  timezone?: string;
  returnUrl?: string;
  sessionExpiresAt: string;
}

/**
 * POST /api/session/reload-token (bearer): a single-use token that reopens this launch after a reload of the
 * frame; the launcher keeps it in the frame's sessionStorage and asks for a new one before it expires.
 */
export interface ReloadTokenResponse {
  reloadToken: string;
  expiresAt: string;
}

/** POST /api/session/reload `{ reloadToken }` (no bearer): a bearer token of the same launch. */
export interface ReloadExchangeResponse {
  token: string;
  sessionExpiresAt: string;
}

export type DeepLinkingRequest = ActivitySettingsInput;

export interface DeepLinkingResponse {
  /** Where the launcher must POST `JWT=<jwt>` (the LMS's deep_link_return_url), top-level in its frame. */
  returnUrl: string;
  jwt: string;
  activityId: string;
}

/** POST /api/room/token, and the lobby token of an ROOM_IN_WAITING_ROOM refusal (`details.lobby`). */
export type { JoinGrant } from '../rooms/room-service.js';

/** One person in the waiting room, as GET /api/room lists it and the 'queue' message pushes it. */
export interface WaitingEntry {
  identity: string;
  name: string;
  role: Role;
  since?: string;
}

/** GET /api/room: the room's status, and the waiting queue for instructors. */
export interface RoomStateResponse extends RoomStatus {
  waiting?: WaitingEntry[];
}

export type { BulkAction, ParticipantAction, RoomAction, WaitingAction } from '../rooms/room-actions.js';

/** A recording or live stream as the launcher shows it (POST /api/room/recording|stream/start|stop). */
export type { RecordingView as RecordingViewDto } from '../recordings/recordings.js';
/** GET /api/room/recording, and `room.recording` of /api/me and GET /api/room. */
export type { RoomRecording as RecordingStateResponse } from '../recordings/recordings.js';
/** POST /api/room/stream/start: the server address and the stream key (a secret: sent once, shown back masked). */
export type { StreamTargetInput as StreamStartRequest } from '../recordings/stream-target.js';
/** The data topic "the recording state changed" (from the tool only), and its message. */
export type { RecordingPush, RecordingTopic } from '../recordings/recording-jobs.js';

/** POST /api/room/waiting/admit-all: the people the instructor saw waiting (their queue's identities). */
export interface AdmitAllRequest {
  identities: string[];
}

/** Whom the call admitted; 409 ROOM_WAITING_NONE when none of them was still waiting. */
export interface AdmitAllResponse {
  admitted: string[];
}
/** The LiveKit room metadata (JSON) the tool writes: `{ title, locked, audioOnly, chatEnabled }`. */
export type { RoomMetadata } from '../rooms/room-metadata.js';
/** The track sources of leader mutes and publish permissions. */
export type { Source } from '../rooms/grants.js';
/** The LiveKit data topic of waiting-room messages (the server's WAITING_TOPIC). */
export type { WaitingTopic } from '../rooms/room-service.js';

/** LiveKit data messages on topic 'waiting-room'. */
export type WaitingMessage = { type: 'admitted' } | { type: 'denied' } | { type: 'queue'; queue: WaitingEntry[] };

/*
 * Attendance and grades (launcher API, Bearer launch token). Instructors see everyone; a learner sees only
 * themself (GET /api/attendance/me). Times are ISO strings; durations whole minutes unless named ms.
 */

/** One class session of the launch's room, newest first in lists. */
export interface AttendanceSessionSummary {
  sessionId: string;
  startedAt: string;
  /** Absent while the class is running. */
  endedAt?: string;
  /** Whole minutes from start to end (or to now while running). */
  minutes: number;
  /** The attendance is final: the session ended and was reconciled with the media server's own list. */
  final: boolean;
  /** Learners on the roster with any time in the session, and the roster's learners. */
  attended: number;
  learners: number;
}

/** GET /api/attendance/sessions (instructors). */
export interface AttendanceSessionsResponse {
  sessions: AttendanceSessionSummary[];
  /** Where the roster came from: the LMS's Names and Roles service, or who launched (no NRPS). */
  roster: { source: 'nrps' | 'launches'; fetchedAt: string };
}

/** One person's attendance of one session. `userId` is the LMS user id (absent for a guest off the roster). */
export interface AttendanceEntry {
  /** The person's key in this tool (stable per LMS user); used in person URLs. */
  userKey: string;
  userId?: string;
  name: string;
  role?: Role;
  status: AttendanceStatus;
  firstJoin?: string;
  lastLeave?: string;
  minutesPresent: number;
  /** 0..100, whole percent of the session. */
  percentOfSession: number;
  joins: number;
  late: boolean;
  leftEarly: boolean;
  /** Part of the time rests on inference (a lost join or leave webhook, the media server's list). */
  inferred: boolean;
  /** False for someone who attended but is not on the course roster. */
  onRoster: boolean;
}

/** GET /api/attendance/sessions/:sessionId (instructors); ?refresh=1 asks the LMS for the roster again. */
export interface SessionAttendanceResponse {
  session: AttendanceSessionSummary;
  roster: { source: 'nrps' | 'launches'; fetchedAt: string };
  /** Graded people (the course's learners), absentees included. */
  learners: AttendanceEntry[];
  /** Instructors, observers and others, listed apart and never graded. */
  others: AttendanceEntry[];
}

/** GET /api/attendance/people/:userKey (instructors), and GET /api/attendance/me (own record). */
export interface PersonAttendanceResponse {
  person: { userKey: string; userId?: string; name: string; role?: Role };
  /** Newest first; a session the person missed is there with status 'absent'. */
  sessions: Array<{ session: AttendanceSessionSummary; entry: AttendanceEntry }>;
}

/** Where one learner's grade stands in the LMS. */
export type GradeSyncState =
  /** Nothing posted yet (no session ended, or grading was never run). */
  | 'not-posted'
  /** Queued or being sent. */
  | 'pending'
  /** The LMS failed (5xx, throttled, unreachable): tried again later by itself. */
  | 'retrying'
  /** The LMS accepted the score. */
  | 'posted'
  /** The LMS already holds a newer score (409 or a stale-timestamp answer): nothing to do. */
  | 'applied'
  /** The LMS refused the score for this user; `reason` says why. Retry only after fixing the cause. */
  | 'refused'
  /** Under the policy this learner gets no score (absent, "not graded"). */
  | 'not-graded';

export interface GradeLine {
  userKey: string;
  userId: string;
  name: string;
  /** The score the policy gives now; 'not-graded' when none is posted. */
  score: number | 'not-graded';
  scoreMaximum: number;
  attendedMinutes: number;
  totalMinutes: number;
  percent: number;
  comment: string;
  sync: {
    state: GradeSyncState;
    /** The score the LMS last accepted (or the one being sent), when there is one. */
    postedScore?: number;
    postedAt?: string;
    attempts?: number;
    nextAttemptAt?: string;
    /** The LMS's answer when it refused, or the last failure while retrying (HTTP status and text). */
    reason?: string;
  };
}

/** GET /api/grades (instructors): the preview of every learner's score and its sync state. */
export interface GradesResponse {
  /** The activity grades attendance (settings.grading.enabled). */
  enabled: boolean;
  /** The LMS granted the score scope and a line item is known or can be made; why not, otherwise. */
  canPost: boolean;
  cannotPostReason?: 'no-ags' | 'no-score-scope' | 'no-line-item-scope' | 'not-enabled';
  lineItem?: { id: string; label: string; scoreMaximum: number };
  policy: {
    policy: 'attended' | 'proportional' | 'threshold';
    thresholdPercent: number;
    absent: 'zero' | 'not-graded';
    scope: 'per-session' | 'cumulative';
    bestOf?: number;
    maxPoints: number;
    /** Grades are posted by themselves when a session's attendance is final. */
    autoPost: boolean;
  };
  /** For 'per-session': the session graded (the latest ended one). */
  sessionId?: string;
  lines: GradeLine[];
}

/** POST /api/grades/post (instructors): queue the previewed scores; `userKeys` limits it (a retry). */
export interface PostGradesRequest {
  userKeys?: string[];
  /** Keep the scores hidden from students where the LMS supports it (the line item's gradesReleased: false). */
  unreleased?: boolean;
}

export interface PostGradesResponse {
  /** Scores queued now; scores already posted with the same value are not queued again. */
  queued: number;
  unchanged: number;
}

/**
 * Polls (/api/room/polls). A poll as the asker may see it: leaders get `results` always and `ballots`
 * unless anonymous; everyone else gets `results` once a leader shared them, and `myChoices` after voting.
 */
export type PollDto = Omit<PollView, 'createdAt'> & { createdAt: string };

/** GET /api/room/polls (the latest class session's) and GET /api/room/polls/sessions/:sessionId. */
export interface PollsResponse {
  polls: PollDto[];
}

/** POST /api/room/polls. */
export interface PollDraftRequest {
  question: string;
  options: string[];
  multiple?: boolean;
  anonymous?: boolean;
}

/** POST /api/room/polls/:pollId/vote: option indexes (exactly one unless the poll is multiple choice). */
export interface PollVoteRequest {
  choices: number[];
}

export type { PollTopic } from '../polls/poll-push.js';
/** What the server pushes on the 'poll' topic: re-fetch the polls. */
export type PollMessage = { type: 'changed'; pollId: string };

/** GET /api/room/breakouts: the class's breakout round (if any) and where the asker belongs (0: main room). */
export interface BreakoutState {
  place: number;
  round?: {
    round: number;
    count: number;
    openedAt: string;
    /** Set once the leader closed the round: everyone is back in the main room at this time. */
    returnAt?: string;
    rooms: Array<{ room: number; title: string; people: Array<{ identity: string; name: string }> }>;
  };
}
/** What the tool pushes on the `breakout` data topic: each one means "GET the state again" (broadcast aside). */
export type BreakoutPush =
  | { type: 'opened' | 'moved' | 'closed'; round: number }
  | { type: 'closing'; round: number; returnAt: string }
  | { type: 'broadcast'; round: number; text: string; from: string; at: string };
/** POST /api/room/breakouts/open: `count` rooms, a random split or a hand-made one (identity -> room number). */
export type BreakoutOpenRequest =
  { mode: 'random'; count: number } | { mode: 'manual'; count: number; assignment: Record<string, number> };
export type BreakoutTopic = 'breakout';

/** What a recording is: starting → recording → ready, or failed; deleted (by a teacher or retention) ends all. */
export type { RecordingStatus };
/** Who may watch a class's recordings (the activity's recording.viewers). */
export type RecordingViewers = 'instructors' | 'course' | 'published';

/** One recording of the class, as GET /api/room/recordings lists it (docs/recordings.md). */
export interface RecordingDto {
  recordingId: string;
  sessionId: string;
  /** When it was asked for; when Egress began and finished writing it. */
  requestedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  sizeBytes?: number;
  status: RecordingStatus;
  /** A class without cameras: sound only. */
  audioOnly: boolean;
  /** Meaningful where viewers is 'published': students see it. */
  published: boolean;
  /** When retention deletes it. */
  keptUntil: string;
  deletedAt?: string;
}

/** GET /api/room/recordings: the class's recordings this person may see, newest first. */
export interface RecordingsResponse {
  viewers: RecordingViewers;
  /** Teachers: delete, and publish where viewers is 'published'. */
  canManage: boolean;
  /** How long this class keeps its recordings. */
  retentionDays: number;
  recordings: RecordingDto[];
}

/** A signed link to a recording's file: it works for a few minutes, for whoever holds it (docs/security.md). */
export interface RecordingLink {
  url: string;
  expiresAt: string;
}

/** POST /api/room/recordings/:recordingId/links: to play in the page, and to download (as an attachment). */
export interface RecordingLinksResponse {
  play: RecordingLink;
  download: RecordingLink;
}
