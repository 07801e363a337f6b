import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';

/** At most `max` requests per `windowSeconds` (config `limits.*`). */
export interface RateRule {
  max: number;
  windowSeconds: number;
}

export interface RateLimitOptions {
  rule: RateRule;
  /** Counted apart from the address alone, e.g. the join link a passcode is tried for. */
  scope?: (req: Request) => string;
  /** Requests that cost the tool nothing worth counting. */
  skip?: (req: Request) => boolean;
  /** The sentence the refused person reads; RATE_LIMITED's own by default. */
  message?: string;
  /** How a refused request is answered (HTML routes); by default the error middleware's JSON shape. */
  refuse?: (req: Request, res: Response, err: AppError) => void;
  /** Where the library reports a misconfiguration it notices (trust proxy, forwarded headers). */
  logger?: Logger;
}

/**
 * The address a limit counts: `req.ip` (which honours `server.trustProxy`), IPv6 by /56 so one site cannot
 * step around a limit by walking its prefix.
 */
export const clientAddress = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

/**
 * A fixed-window limit per client address, in this process's memory (express-rate-limit's MemoryStore):
 * N tool processes allow N times the rule. A refusal is 429 RATE_LIMITED with Retry-After.
 */
export function rateLimiter(options: RateLimitOptions): RequestHandler {
  const { rule } = options;
  const log = options.logger?.child({ module: 'rate-limit' });
  return rateLimit({
    windowMs: rule.windowSeconds * 1000,
    limit: rule.max,
    // RateLimit + RateLimit-Policy on every answer, Retry-After on refusals.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (options.scope ? `${clientAddress(req)}|${options.scope(req)}` : clientAddress(req)),
    skip: (req) => options.skip?.(req) ?? false,
    handler: (req, res, next) => {
      const retryAfterSeconds = Number(res.getHeader('retry-after')) || rule.windowSeconds;
      const err = new AppError('RATE_LIMITED', {
        message: options.message,
        details: { retryAfterSeconds, limit: rule.max, windowSeconds: rule.windowSeconds },
      });
      req.log?.info({ code: err.code, path: req.path, limit: rule.max }, 'rate limited');
      if (options.refuse) options.refuse(req, res, err);
      else next(err);
    },
    ...(log
      ? {
          logger: {
            warn: (e: unknown) => log.warn({ err: e }, 'rate limiter configuration'),
            error: (e: unknown) => log.error({ err: e }, 'rate limiter configuration'),
          },
        }
      : {}),
  });
}
