/**
 * One registry of error codes. Each code has an HTTP status and a sentence a user, teacher or LMS admin
 * can act on. docs/errors.md is generated from this table (`npm run docs:errors`) and checked in tests.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  VALIDATION_FAILED: { status: 400, message: 'The request has invalid or missing fields.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in again by relaunching the activity from your course.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, message: 'There is nothing at this address.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This address does not accept that method.' },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side. Try again; if it persists, tell your LMS admin.',
  },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is starting or shutting down. Try again in a moment.' },
  DB_UNAVAILABLE: { status: 503, message: 'The database is not reachable.' },
  LIVEKIT_UNAVAILABLE: { status: 503, message: 'The media server (LiveKit) is not reachable.' },
  LIVEKIT_UNAUTHORIZED: {
    status: 502,
    message: 'The media server rejected our credentials; the operator must check the LiveKit API key.',
  },
  LIVEKIT_REQUEST_FAILED: { status: 502, message: 'The media server refused the request.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

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
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details) body.error.details = err.details;
  return body;
}
