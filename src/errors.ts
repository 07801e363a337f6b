import { LTI_ERROR_CODES } from './lti-error-codes.js';

/**
 * One registry of error codes. Each code has an HTTP status and a sentence a user, teacher or LMS admin
 * can act on. docs/errors.md is generated from this table (`npm run docs:errors`) and checked in tests.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  VALIDATION_FAILED: { status: 400, message: 'The request has invalid or missing fields.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON.' },
  REQUEST_ABORTED: { status: 400, message: 'The connection closed before the request body arrived.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in again by relaunching the activity from your course.' },
  SESSION_REVOKED: {
    status: 401,
    message:
      "The tool's administrator removed or turned off the connection you opened this live class through. Ask your LMS admin (or the site that sent you) for help.",
  },
  SESSION_RELOAD_INVALID: {
    status: 401,
    message:
      'This page cannot be reopened (its reload token is unknown, expired or already used). Open the activity again from your course.',
  },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, message: 'There is nothing at this address.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This address does not accept that method.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Wait a few minutes and try again.' },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side. Try again; if it persists, tell your LMS admin.',
  },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is starting or shutting down. Try again in a moment.' },
  DB_UNAVAILABLE: { status: 503, message: 'The database is not reachable.' },
  // Shown to teachers and students (a leader action that failed): no product names.
  LIVEKIT_UNAVAILABLE: {
    status: 503,
    message: 'The class server is not answering. Try again in a moment; if it lasts, tell your LMS admin.',
  },
  LIVEKIT_UNAUTHORIZED: {
    status: 502,
    message: "The media server rejected the tool's credentials; the operator must check its API key and secret.",
  },
  LIVEKIT_WEBHOOK_UNAUTHORIZED: {
    status: 401,
    message: 'The webhook signature is missing or does not match the LiveKit API key.',
  },
  LIVEKIT_WEBHOOK_INVALID: { status: 400, message: 'The webhook body is not a LiveKit event.' },
  LIVEKIT_NOT_FOUND: { status: 404, message: 'The room or participant is not on the media server (any more).' },
  LIVEKIT_REQUEST_FAILED: { status: 502, message: 'The media server refused the request.' },
  LIVEKIT_NO_ANSWER: {
    status: 504,
    message:
      'The media server did not answer in time (or the connection dropped): what it did with the request is not known yet.',
  },
  LIVEKIT_EGRESS_UNAVAILABLE: {
    status: 503,
    message: 'No recorder is free to take this recording or stream right now. Try again in a moment.',
  },
  PLATFORM_NOT_FOUND: { status: 404, message: 'No LMS registration has this id.' },
  PLATFORM_BRANDING_INVALID: {
    status: 400,
    message:
      'The branding is invalid: color must be #rrggbb, logoUrl an https URL (http only for localhost) of at most 2048 characters.',
  },
  ...LTI_ERROR_CODES,
  ROOM_ENDED: { status: 409, message: 'This live class has ended. It opens again when your teacher restarts it.' },
  ROOM_NOT_OPEN: { status: 403, message: 'This live class is not open yet.' },
  ROOM_LOCKED: { status: 403, message: 'The teacher has locked this live class: nobody else can join right now.' },
  ROOM_FULL: {
    status: 409,
    message: 'This live class is full. You are in line (details.position) and get a seat as one frees up.',
  },
  ROOM_PARTICIPANT_REMOVED: {
    status: 403,
    message: 'A teacher removed you from this live class for the rest of the session.',
  },
  ROOM_WAITING_FOR_INSTRUCTOR: { status: 409, message: 'The live class starts when your teacher joins.' },
  ROOM_IN_WAITING_ROOM: { status: 409, message: 'You are in the waiting room. A teacher will let you in.' },
  ROOM_WAITING_DENIED: { status: 403, message: 'A teacher declined your request to join this live class.' },
  ROOM_PARTICIPANT_UNKNOWN: { status: 403, message: 'That person is not in your live class.' },
  ROOM_METADATA_TOO_LARGE: {
    status: 400,
    message: 'That metadata is too large: at most 32 keys and 16 kB in all (values up to 1024 characters).',
  },
  ROOM_NO_TARGETS: {
    status: 409,
    message: 'Nobody you named is in the live class now (or they were all excluded): look at the members again.',
  },
  ROOM_WAITING_NONE: {
    status: 409,
    message: 'Nobody you asked to admit is still waiting: they were let in, declined or left meanwhile.',
  },
  ATTENDANCE_SESSION_NOT_FOUND: { status: 404, message: 'This live class has no class session with that id.' },
  ATTENDANCE_PERSON_NOT_FOUND: {
    status: 404,
    message: 'Nobody with that id is on the course roster or attended this live class.',
  },
  GRADES_NOT_ENABLED: {
    status: 409,
    message: 'This live class does not grade attendance. Turn grading on when adding the class to the course.',
  },
  GRADES_UNAVAILABLE: {
    status: 409,
    message:
      'The LMS does not let this tool post grades for this class. Ask your LMS admin to grant the tool the Assignment and Grade Services (see details.reason).',
  },
  ATTENDANCE_NO_COURSE: {
    status: 409,
    message: 'This live class was not opened from a course, so it has no roster to take attendance against.',
  },
  ROOM_NOT_JOINED: { status: 409, message: 'Join the live class first: you are not connected to it right now.' },
  POLL_NOT_FOUND: { status: 404, message: 'This poll is not part of your live class.' },
  POLL_FORBIDDEN: { status: 403, message: 'Only teachers launch, close and share polls.' },
  POLL_NO_CLASS: { status: 409, message: 'Polls run during a live class: join the class first.' },
  POLL_ALREADY_OPEN: { status: 409, message: 'A poll is already open: close it before launching another.' },
  POLL_TOO_MANY: { status: 409, message: 'This class has reached the most polls one class can hold.' },
  POLL_CLOSED: { status: 409, message: 'This poll is closed: it takes no more votes.' },
  POLL_ALREADY_VOTED: { status: 409, message: 'You have already voted in this poll.' },
  POLL_OPTION_INVALID: {
    status: 400,
    message: "Choose one of the poll's options (or, where the poll allows several, at least one and no repeats).",
  },
  POLL_DRAFT_INVALID: {
    status: 400,
    message: 'A poll needs a question and 2 to 10 options, none empty and no two alike.',
  },
  // Shown to teachers on the Record and Go live buttons: plain sentences, no product names.
  RECORDING_OFF: {
    status: 503,
    message: 'Recording is not set up on this server. Your LMS admin can ask for it to be turned on.',
  },
  RECORDING_UNAVAILABLE: {
    status: 503,
    message:
      'The recorder is not answering, so the class cannot be recorded or streamed right now. Try again in a moment.',
  },
  RECORDING_NO_CLASS: {
    status: 409,
    message: 'Recording and streaming run during a live class: join the class first.',
  },
  RECORDING_ALREADY_ACTIVE: { status: 409, message: 'This class is already being recorded.' },
  RECORDING_STREAM_ALREADY_ACTIVE: { status: 409, message: 'This class is already being streamed.' },
  RECORDING_NOT_ACTIVE: { status: 409, message: 'This class is not being recorded right now.' },
  RECORDING_STREAM_NOT_ACTIVE: { status: 409, message: 'This class is not being streamed right now.' },
  RECORDING_TOO_MANY: {
    status: 409,
    message:
      'This class has been recorded (or streamed) as many times as one class can be. End it and start a new one.',
  },
  RECORDING_NOT_FOUND: { status: 404, message: 'This recording is not one of your live class (or it was removed).' },
  RECORDING_FORBIDDEN: {
    status: 403,
    message: "This class's recordings are for its teachers, or for the course once a teacher publishes them.",
  },
  RECORDING_MANAGE_FORBIDDEN: { status: 403, message: 'Only teachers delete and publish recordings.' },
  RECORDING_NOT_READY: {
    status: 409,
    message: 'This recording is not ready: it can be watched once its class has ended and its file is complete.',
  },
  RECORDING_DELETED: { status: 410, message: 'This recording was deleted.' },
  RECORDING_FILE_MISSING: {
    status: 404,
    message: "This recording's file is not where recordings are kept. Tell the tool's administrator.",
  },
  RECORDING_STORAGE_UNAVAILABLE: {
    status: 503,
    message:
      'The storage that keeps recordings did not answer or refused the tool, so the recording cannot be opened or deleted right now. Try again in a moment.',
  },
  RECORDING_LINK_EXPIRED: {
    status: 403,
    message: 'This recording link has expired. Open the recording again from your course for a new one.',
  },
  RECORDING_LINK_INVALID: {
    status: 403,
    message: 'This recording link is not valid. Open the recording again from your course.',
  },
  RECORDING_RANGE_NOT_SATISFIABLE: {
    status: 416,
    message: 'The requested byte range is not inside the recording file.',
  },
  RECORDING_NOT_PUBLISHED: { status: 403, message: 'A teacher has not published this recording (or took it back).' },
  RECORDING_PUBLISHING_OFF: {
    status: 409,
    message: "This class's recordings are not published one by one: who may watch them is set for the whole class.",
  },
  ACTIVITY_NOT_FOUND: {
    status: 404,
    message:
      "This link's live class is not part of this course: it was removed, or the link was copied from another course. Ask your teacher to choose the live class again in the activity's settings.",
  },
  ACTIVITY_NOT_SET_UP: {
    status: 409,
    message: 'Your teacher has not set this class up yet. It opens here as soon as your teacher has opened it once.',
  },
  API_KEY_INVALID: {
    status: 401,
    message:
      'The x-api-key header (or an Authorization: Organisation header) is missing, unknown or revoked. Ask the tool operator for a valid integrator API key.',
  },
  API_KEY_NOT_FOUND: { status: 404, message: 'No integrator API key has this id.' },
  SPACE_NOT_LIVE: {
    status: 404,
    message: 'This room has no live session right now (or it belongs to another API key).',
  },
  SPACE_ROOM_NOT_FOUND: { status: 404, message: 'No space of this API key has this room id.' },
  SPACE_LINK_INVALID: {
    status: 404,
    message: 'This join link is unknown or has expired. Go back to the site that sent you here for a new one.',
  },
  BREAKOUT_NOT_OPEN: { status: 409, message: 'No breakout rooms are open in this class right now.' },
  BREAKOUT_ALREADY_OPEN: {
    status: 409,
    message: 'Breakout rooms are already open in this class: close them before opening new ones.',
  },
  BREAKOUT_CLASS_NOT_LIVE: { status: 409, message: 'Breakout rooms open in a live class: join it first.' },
  BREAKOUT_NOBODY: { status: 409, message: 'There are no students in the class to send into breakout rooms.' },
  BREAKOUT_PERSON_UNKNOWN: {
    status: 409,
    message: 'Someone you placed is not in the class any more. Look at the list again and retry.',
  },
  BREAKOUT_ROOM_UNKNOWN: { status: 400, message: 'There is no breakout room with that number in this round.' },
  SPACE_PASSCODE_INVALID: { status: 403, message: 'The passcode is wrong. Check it and try again.' },
  SPACE_MEMBER_NOT_FOUND: {
    status: 404,
    message: 'Nobody with this user_id is in the room or was acted on in its class session.',
  },
  SPACE_EXISTS: {
    status: 409,
    message: 'This API key already has a room with this room_id. Use it (join, status), or create one with another id.',
  },
  VIDEO_ROOM_DELETED: {
    status: 410,
    message: 'This room was deleted: it can no longer be joined or changed. Its attendance stays readable.',
  },
  VIDEO_ROOM_BUSY: {
    status: 409,
    message: 'Another change of this room was stored at the same moment. Read the room again and retry.',
  },
  VIDEO_SESSION_NOT_FOUND: { status: 404, message: 'No room of this API key has a session with this id.' },
  VIDEO_SESSION_ENDED: {
    status: 409,
    message: 'This session has ended: only the live session of a room can be ended or controlled.',
  },
  VIDEO_REFRESH_INVALID: {
    status: 401,
    message: 'This refresh token is unknown, expired or already used. Create a new token for the room.',
  },
  VIDEO_PARTICIPANTS_SCOPE: {
    status: 400,
    message:
      'Say whose participants to search: a session (session_id), a room (room_id), a user (user_id) or a time window (joined_after/joined_before/left_after/left_before).',
  },
  VIDEO_PARTICIPANTS_WINDOW: {
    status: 400,
    message:
      'The time window is not one this search takes: each "after" must come before its "before", and a search across all your rooms by time alone spans at most 31 days (give a "before" with an "after" older than that).',
  },
  VIDEO_COMPOSITION_UNSUPPORTED: {
    status: 501,
    message:
      'Compositions of a finished session are not offered: the media server renders only rooms that are live. Record the session while it runs instead.',
  },
  SPACE_GUEST_NAME_INVALID: {
    status: 400,
    message: 'Type the name the others in the class will see (1 to 64 characters).',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes renamed so that every code starts with the prefix of the part it comes from (ROOM_, SPACE_,
 * LIVEKIT_, ...). An answer with one of them also carries the old code as `formerCode`, so an integrator
 * or a launcher still open from before the rename can match either; docs/errors.md lists them.
 */
export const FORMER_CODES: Readonly<Partial<Record<ErrorCode, string>>> = {
  LIVEKIT_WEBHOOK_UNAUTHORIZED: 'WEBHOOK_UNAUTHORIZED',
  LIVEKIT_WEBHOOK_INVALID: 'WEBHOOK_INVALID',
  SPACE_NOT_LIVE: 'NOT_LIVE',
  ROOM_PARTICIPANT_REMOVED: 'PARTICIPANT_REMOVED',
  ROOM_PARTICIPANT_UNKNOWN: 'PARTICIPANT_NOT_IN_ROOM',
  ROOM_WAITING_FOR_INSTRUCTOR: 'WAITING_FOR_INSTRUCTOR',
  ROOM_IN_WAITING_ROOM: 'IN_WAITING_ROOM',
  ROOM_WAITING_DENIED: 'WAITING_DENIED',
};

export interface AppErrorOptions {
  cause?: unknown;
  /** Safe to show to the client (field names, limits); never secrets or internal messages. */
  details?: Record<string, unknown>;
  message?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; formerCode?: string };
}

export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details) body.error.details = err.details;
  const former = FORMER_CODES[err.code];
  if (former) body.error.formerCode = former;
  return body;
}
