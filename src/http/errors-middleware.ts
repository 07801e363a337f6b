import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, errorBody, isAppError } from '../errors.js';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', { details: { path: req.path } }));
};

/** Renders every failure as `{ error: { code, message } }`; unknown errors never leak their message. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  const appError = toAppError(err);
  if (appError.status >= 500) req.log?.error({ err }, 'request failed');
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
