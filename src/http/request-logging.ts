import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Binds a request id to every log line of the request and echoes it in `x-request-id`. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel(_req, res, err) {
      // 501 is an answer by design (a documented feature not offered here), not a fault of the tool.
      if (res.statusCode === 501) return 'info';
      if (err || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'info' : 'debug';
    },
    serializers: {
      // Query strings can carry credentials (registration_token, ltik): log the path and parameter names only.
      req(req: { method?: string; url?: string; id?: unknown }) {
        return { id: req.id, method: req.method, url: redactQuery(req.url ?? '') };
      },
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}

export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return `${url.slice(0, q)}?${names.map((n) => `${n}=…`).join('&')}`;
}
