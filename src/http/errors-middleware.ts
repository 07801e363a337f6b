import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, errorBody, isAppError } from '../errors.js';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', { details: { path: req.path } }));
};

/** Renders every failure as `{ error: { code, message } }`; unknown errors never leak their message. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  const appError = isClientAbort(err, req) ? new AppError('REQUEST_ABORTED', { cause: err }) : toAppError(err);
  if (appError.status >= 500 && appError.status !== 501) req.log?.error({ err }, 'request failed');
  res.status(appError.status).json(errorBody(appError));
};

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) {
    const fields = err.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return new AppError('VALIDATION_FAILED', { cause: err, details: { fields } });
  }
  // body-parser marks its errors with `type` and an HTTP status.
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed')
    return new AppError('BAD_REQUEST', { cause: err, message: 'The body is not valid JSON.' });
  if (type === 'entity.too.large') return new AppError('BODY_TOO_LARGE', { cause: err });
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return new AppError('UNSUPPORTED_MEDIA_TYPE', { cause: err });
  const status = (err as { status?: unknown } | null)?.status;
  if (status === 404) return new AppError('NOT_FOUND', { cause: err });
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('BAD_REQUEST', { cause: err });
  return new AppError('INTERNAL', { cause: err });
}

/**
 * The client hung up before its body was read: nothing went wrong here and nobody reads the answer. body-parser
 * says `request.aborted` (400) when it happens mid-body, and `stream.not.readable` (500) when the request was
 * already gone before the parser started (after an async auth check); only the latter also happens as a bug
 * (a body read twice), so it counts as a hang-up only when the connection is really closed.
 */
function isClientAbort(err: unknown, req: Request): boolean {
  const { type, code } = (err ?? {}) as { type?: unknown; code?: unknown };
  if (type === 'request.aborted' || code === 'ECONNRESET') return true;
  return type === 'stream.not.readable' && (req.destroyed || req.socket?.destroyed === true);
}
