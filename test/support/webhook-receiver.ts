import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken } from 'livekit-server-sdk';
import type { WebhookPayload } from '../../src/integrations/webhook-outbox.js';
import type { TestEnvironment } from './test-tool.js';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: WebhookPayload;
}

/** The integrator's endpoint: records every POST; `answer` picks the status per path. */
export class Receiver {
  readonly received: Received[] = [];
  answer: (r: Received, nth: number) => number | Promise<number> = () => 200;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r = { path: req.url ?? '', headers: req.headers, body, payload: JSON.parse(body) as WebhookPayload };
        this.received.push(r);
        const nth = this.received.filter((x) => x.path === r.path).length;
        void Promise.resolve(this.answer(r, nth)).then((status) => res.writeHead(status).end());
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }
  on(path: string, type?: string): Received[] {
    return this.received.filter((r) => r.path === path && (!type || r.payload.type === type));
  }
  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Posts a LiveKit webhook to the tool, signed as livekit-server signs it (see webhooks.test.ts). */
export async function postLiveKit(
  env: TestEnvironment,
  event: Record<string, unknown>,
): Promise<{ ok: boolean; duplicate: boolean }> {
  const body = JSON.stringify(event);
  const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
  at.sha256 = createHash('sha256').update(body).digest('base64');
  const res = await fetch(`${env.tool.url}/hooks/livekit`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await at.toJwt() },
    body,
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { ok: boolean; duplicate: boolean };
}
