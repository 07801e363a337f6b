import type {
  AdmitAllRequest,
  AdmitAllResponse,
  AttendanceSessionsResponse,
  BreakoutOpenRequest,
  BreakoutState,
  DeepLinkingRequest,
  DeepLinkingResponse,
  ErrorResponse,
  GradesResponse,
  MeResponse,
  PersonAttendanceResponse,
  PollDraftRequest,
  PollDto,
  PollsResponse,
  PollVoteRequest,
  PostGradesRequest,
  PostGradesResponse,
  RecordingStateResponse,
  RecordingViewDto,
  RecordingDto,
  RecordingLinksResponse,
  RecordingsResponse,
  SessionAttendanceResponse,
  StreamStartRequest,
} from './contract';
import type {
  BulkAction,
  JoinGrant,
  RoomMetadata,
  ParticipantAction,
  RoomAction,
  RoomStateResponse,
  WaitingAction,
} from './room-types';
import { t } from '../i18n';

/** One invalid field of a 400 VALIDATION_FAILED answer; `path` is dotted, e.g. `grading.maxPoints`. */
export interface FieldError {
  path: string;
  message: string;
}

/** A failed API call: the server's `{ error: { code, message } }`, or NETWORK / BAD_RESPONSE from here. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field errors of a VALIDATION_FAILED answer (empty for any other error). */
  get fields(): FieldError[] {
    const fields = this.details?.fields;
    if (this.code !== 'VALIDATION_FAILED' || !Array.isArray(fields)) return [];
    return fields.filter(
      (f): f is FieldError =>
        typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.message === 'string',
    );
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/**
 * The launcher's API, authorized by the launch's Bearer token (kept in memory only: storage may be blocked
 * in an LMS iframe). Every 401 also goes to `onUnauthorized` (with its code: SESSION_REVOKED says why), so
 * any screen can turn into "session ended".
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: (error: ApiError) => void = () => undefined,
  ) {}

  me(signal?: AbortSignal): Promise<MeResponse> {
    return this.request<MeResponse>('GET', '/api/me', undefined, signal);
  }

  createDeepLink(body: DeepLinkingRequest): Promise<DeepLinkingResponse> {
    return this.request<DeepLinkingResponse>('POST', '/api/deep-linking', body);
  }

  /** A join token for the launch's room, or a refusal (ROOM_ENDED, ROOM_IN_WAITING_ROOM, ...) as an ApiError. */
  roomToken(): Promise<JoinGrant> {
    return this.request<JoinGrant>('POST', '/api/room/token');
  }

  /** Breakouts (docs/rooms.md): the round and where the asker belongs now (0: the main room). */
  breakoutState(): Promise<BreakoutState> {
    return this.request<BreakoutState>('GET', '/api/room/breakouts');
  }

  /** A join token for where the asker belongs now (their breakout or the main room), or a leader's visit. */
  breakoutToken(visit?: number): Promise<JoinGrant> {
    return this.request<JoinGrant>('POST', '/api/room/breakouts/token', visit ? { visit } : {});
  }

  breakoutAction(
    action: 'open' | 'move' | 'broadcast' | 'close',
    body: BreakoutOpenRequest | { identity: string; room: number } | { text: string } | { countdownSeconds: number },
  ): Promise<void> {
    return this.request<void>('POST', `/api/room/breakouts/${action}`, body);
  }

  /**
   * An early join token for the pre-join page, or undefined where only Join may ask (it would be refused,
   * knock, reopen the class or start it): POST /api/room/token/prepare.
   */
  async prepareRoomToken(): Promise<JoinGrant | undefined> {
    return (await this.request<JoinGrant | undefined>('POST', '/api/room/token/prepare')) ?? undefined;
  }

  roomState(signal?: AbortSignal): Promise<RoomStateResponse> {
    return this.request<RoomStateResponse>('GET', '/api/room', undefined, signal);
  }

  participantAction(identity: string, action: ParticipantAction): Promise<void> {
    return this.request<void>('POST', `/api/room/participants/${encodeURIComponent(identity)}/${action}`);
  }

  roomAction(action: RoomAction | BulkAction, targets?: { exclude?: string[] }): Promise<void> {
    return this.request<void>('POST', `/api/room/${action}`, targets);
  }

  /** The class layout for everyone (instructors): PUT /api/room/layout answers the whole layout. */
  setClassLayout(patch: Partial<RoomMetadata['layout']>): Promise<RoomMetadata['layout']> {
    return this.request<RoomMetadata['layout']>('PUT', '/api/room/layout', patch);
  }

  /** Raises or lowers the user's own hand in the room they are connected to (409 ROOM_NOT_JOINED otherwise). */
  setHand(raised: boolean): Promise<void> {
    return this.request<void>('POST', '/api/room/hand', { raised });
  }

  waitingAction(identity: string, action: WaitingAction): Promise<void> {
    return this.request<void>('POST', `/api/room/waiting/${encodeURIComponent(identity)}/${action}`);
  }

  /** Admits the waiting people the instructor saw; answers whom it admitted (409 ROOM_WAITING_NONE: nobody). */
  admitAll(identities: string[]): Promise<AdmitAllResponse> {
    return this.request<AdmitAllResponse>('POST', '/api/room/waiting/admit-all', {
      identities,
    } satisfies AdmitAllRequest);
  }

  /** The room's recording and live stream (docs/recordings.md), for everyone in the class. */
  recordingState(signal?: AbortSignal): Promise<RecordingStateResponse> {
    return this.request<RecordingStateResponse>('GET', '/api/room/recording', undefined, signal);
  }

  /** A leader starts or stops recording (`recording`) or the live stream (`stream`). */
  recordingAction(kind: 'recording' | 'stream', action: 'start' | 'stop'): Promise<RecordingViewDto> {
    return this.request<RecordingViewDto>('POST', `/api/room/${kind}/${action}`);
  }

  /** Goes live to an RTMP(S) server; the key is sent once and comes back masked. */
  startStream(target: StreamStartRequest): Promise<RecordingViewDto> {
    return this.request<RecordingViewDto>('POST', '/api/room/stream/start', target);
  }

  /** The polls of the room's latest class session (docs/rooms.md, "Polls"). */
  polls(signal?: AbortSignal): Promise<PollsResponse> {
    return this.request<PollsResponse>('GET', '/api/room/polls', undefined, signal);
  }

  /** One class session's polls with their results (instructors: the attendance view). */
  sessionPolls(sessionId: string, signal?: AbortSignal): Promise<PollsResponse> {
    const path = `/api/room/polls/sessions/${encodeURIComponent(sessionId)}`;
    return this.request<PollsResponse>('GET', path, undefined, signal);
  }

  createPoll(draft: PollDraftRequest): Promise<PollDto> {
    return this.request<PollDto>('POST', '/api/room/polls', draft);
  }

  /** One vote per poll: 409 POLL_ALREADY_VOTED the second time, POLL_CLOSED once it closed. */
  votePoll(pollId: string, choices: number[]): Promise<void> {
    const path = `/api/room/polls/${encodeURIComponent(pollId)}/vote`;
    return this.request<void>('POST', path, { choices } satisfies PollVoteRequest);
  }

  pollAction(pollId: string, action: 'close' | 'share'): Promise<void> {
    return this.request<void>('POST', `/api/room/polls/${encodeURIComponent(pollId)}/${action}`);
  }

  /** The activity's class sessions, newest first (instructors). */
  attendanceSessions(signal?: AbortSignal): Promise<AttendanceSessionsResponse> {
    return this.request<AttendanceSessionsResponse>('GET', '/api/attendance/sessions', undefined, signal);
  }

  /** One session's table against the course roster; `refresh` reads the roster from the LMS again. */
  sessionAttendance(sessionId: string, refresh = false, signal?: AbortSignal): Promise<SessionAttendanceResponse> {
    const path = `/api/attendance/sessions/${encodeURIComponent(sessionId)}${refresh ? '?refresh=1' : ''}`;
    return this.request<SessionAttendanceResponse>('GET', path, undefined, signal);
  }

  /** One person's sessions (instructors). */
  personAttendance(userKey: string, signal?: AbortSignal): Promise<PersonAttendanceResponse> {
    const path = `/api/attendance/people/${encodeURIComponent(userKey)}`;
    return this.request<PersonAttendanceResponse>('GET', path, undefined, signal);
  }

  /** The launch user's own sessions (anyone). */
  myAttendance(signal?: AbortSignal): Promise<PersonAttendanceResponse> {
    return this.request<PersonAttendanceResponse>('GET', '/api/attendance/me', undefined, signal);
  }

  /** A session's attendance as CSV, with the file name the server gives it (Content-Disposition). */
  async attendanceCsv(sessionId: string): Promise<{ blob: Blob; contentDisposition: string | null }> {
    const path = `/api/attendance/sessions/${encodeURIComponent(sessionId)}/attendance.csv`;
    const res = await this.send('GET', path, 'text/csv');
    return { blob: await res.blob(), contentDisposition: res.headers.get('content-disposition') };
  }

  /** The grade preview and each learner's sync state (instructors). */
  grades(signal?: AbortSignal): Promise<GradesResponse> {
    return this.request<GradesResponse>('GET', '/api/grades', undefined, signal);
  }

  postGrades(body: PostGradesRequest): Promise<PostGradesResponse> {
    return this.request<PostGradesResponse>('POST', '/api/grades/post', body);
  }

  /** The class's recordings this person may see, newest first (docs/recordings.md). */
  recordings(signal?: AbortSignal): Promise<RecordingsResponse> {
    return this.request<RecordingsResponse>('GET', '/api/room/recordings', undefined, signal);
  }

  /** Signed links to play and download one recording; they work for a few minutes. */
  recordingLinks(recordingId: string): Promise<RecordingLinksResponse> {
    return this.request<RecordingLinksResponse>(
      'POST',
      `/api/room/recordings/${encodeURIComponent(recordingId)}/links`,
    );
  }

  /** Teachers, where students watch what is published: publish or take back one recording. */
  setRecordingPublished(recordingId: string, published: boolean): Promise<RecordingDto> {
    const action = published ? 'publish' : 'unpublish';
    return this.request<RecordingDto>('POST', `/api/room/recordings/${encodeURIComponent(recordingId)}/${action}`);
  }

  /** Teachers: deletes a recording for good. */
  deleteRecording(recordingId: string): Promise<void> {
    return this.request<void>('DELETE', `/api/room/recordings/${encodeURIComponent(recordingId)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.send(method, path, 'application/json', body, signal);
    if (res.status === 204) return undefined as T;
    const payload: unknown = await res.json().catch(() => undefined);
    if (payload === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', t('common.badResponse'));
    return payload as T;
  }

  /** The fetch itself: a successful response, or the failure as an ApiError (a 401 also to onUnauthorized). */
  private async send(
    method: string,
    path: string,
    accept: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept, authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'NETWORK', t('common.network'));
    }
    if (res.ok) return res;
    const payload: unknown = await res.json().catch(() => undefined);
    const error = (payload as Partial<ErrorResponse> | undefined)?.error;
    const apiError = new ApiError(
      res.status,
      typeof error?.code === 'string' ? error.code : 'HTTP_' + res.status,
      typeof error?.message === 'string' ? error.message : `The tool answered ${res.status}.`,
      error?.details,
    );
    if (res.status === 401) this.onUnauthorized(apiError);
    throw apiError;
  }
}
