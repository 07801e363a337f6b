import { pino, type Logger } from 'pino';

export type { Logger };

/** Root logger; modules take `logger.child({ module })` and bind roomId/sessionId/userId once. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'lti-live-class' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', '*.apiSecret'],
      censor: '[redacted]',
    },
  });
}
