import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { errorHandler } from '../../src/http/errors-middleware.js';
import { requestLogging } from '../../src/http/request-logging.js';

interface LogLine {
  level: number;
  msg: string;
  err?: unknown;
  res?: { statusCode?: number };
}

/** Our request logging and error middleware around a JSON route that, like the API, authenticates first. */
async function startApp(): Promise<{ port: number; lines: LogLine[]; close(): Promise<void> }> {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const app = express();
  app.use(requestLogging(pino({ level: 'debug' }, sink)));
  // An async check before the body parser, as sessionAuth / apiKeyAuth do: the hang-up happens meanwhile.
  const authenticate: express.RequestHandler = (_req, _res, next) => void setTimeout(next, 50);
  app.post('/after-auth', authenticate, express.json(), (req, res) => res.json(req.body));
  // The parser already reading when the connection goes: body-parser's request.aborted.
  app.post('/direct', express.json(), (req, res) => res.json(req.body));
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    lines,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Sends the head and `body`, then closes the connection without waiting for an answer. */
async function hangUp(port: number, path: string, body: string, contentLength: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n${body}`,
  );
  socket.destroy();
}

async function logged(lines: LogLine[]): Promise<LogLine[]> {
  const deadline = Date.now() + 2000;
  while (!lines.some((l) => /request (completed|errored|aborted)|failed/.test(l.msg)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return lines;
}

describe('a client that hangs up', () => {
  const cases: Array<[string, string, string, number]> = [
    ['right after sending a whole JSON body', '/after-auth', '{"name":"x"}', 12],
    ['in the middle of the body', '/direct', '{"name":', 100],
  ];
  for (const [name, path, body, length] of cases) {
    it(`${name} is no error and no 500 in the log`, async () => {
      const app = await startApp();
      try {
        await hangUp(app.port, path, body, length);
        const lines = await logged(app.lines);
        assert.ok(lines.length > 0, 'the request is logged');
        const errors = lines.filter((l) => l.level >= 50);
        assert.deepEqual(
          errors.map((l) => l.msg),
          [],
          `error-level lines: ${JSON.stringify(errors).slice(0, 800)}`,
        );
        assert.ok(
          lines.every((l) => (l.res?.statusCode ?? 0) < 500),
          JSON.stringify(lines.map((l) => l.res)),
        );
      } finally {
        await app.close();
      }
    });
  }
});
