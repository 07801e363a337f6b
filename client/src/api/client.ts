import type { DeepLinkingRequest, DeepLinkingResponse, ErrorResponse, MeResponse } from './contract';
import type { JoinGrant, ParticipantAction, RoomAction, RoomStateResponse, WaitingAction } from './room-types';
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

  roomState(signal?: AbortSignal): Promise<RoomStateResponse> {
    return this.request<RoomStateResponse>('GET', '/api/room', undefined, signal);
  }

  participantAction(identity: string, action: ParticipantAction): Promise<void> {
    return this.request<void>('POST', `/api/room/participants/${encodeURIComponent(identity)}/${action}`);
  }

  roomAction(action: RoomAction): Promise<void> {
    return this.request<void>('POST', `/api/room/${action}`);
  }

  /** Raises or lowers the user's own hand in the room they are connected to (409 ROOM_NOT_JOINED otherwise). */
  setHand(raised: boolean): Promise<void> {
    return this.request<void>('POST', '/api/room/hand', { raised });
  }

  waitingAction(identity: string, action: WaitingAction): Promise<void> {
    return this.request<void>('POST', `/api/room/waiting/${encodeURIComponent(identity)}/${action}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}` };
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
    if (res.status === 204) return undefined as T;
    const payload: unknown = await res.json().catch(() => undefined);
    if (res.ok) {
      if (payload === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', t('common.badResponse'));
      return payload as T;
    }
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
