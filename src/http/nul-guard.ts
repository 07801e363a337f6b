import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

const NUL = '\u0000';

/** The path of the first string or key under `value` holding a NUL character, or undefined. */
export function nulPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path.join('.') || '(body)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes(NUL)) return [...path, key.replaceAll(NUL, '\\u0000')].join('.');
    const found = nulPath(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Refuses a NUL character anywhere in the address or the parsed body (400 VALIDATION_FAILED naming the
 * field). PostgreSQL, under FerretDB, can neither store nor compare a string holding one, so it would
 * otherwise surface as a 500 from whichever query met it first. Mount after the router's body parser.
 */
export const refuseNul: RequestHandler = (req, _res, next) => {
  const inUrl = /%00/.test(req.originalUrl) || req.originalUrl.includes(NUL);
  const path = inUrl ? 'url' : nulPath(req.body);
  if (path === undefined) return next();
  next(new AppError('VALIDATION_FAILED', { details: { fields: [{ path, message: 'must not contain NUL' }] } }));
};
