import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessToken } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import type { LiveKitGateway } from '../../src/livekit/gateway.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { testGateway, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** What the test page reports about what it receives: one entry per subscribed remote track. */
interface ReceivedTrack {
  kind: 'audio' | 'video';
  from: string;
  bytesReceived: number;
  framesDecoded: number;
  totalSamplesReceived: number;
}

interface PageReport {
  tracks: ReceivedTrack[];
  /** The ICE pair carrying the subscriber connection, as `local -> remote` addresses. */
  selectedPair?: string;
}

/** The API the test page puts on `window.mediaTest`. */
interface MediaTestApi {
  join(url: string, token: string): Promise<{ connectMs: number; publishMs: number }>;
  report(): Promise<PageReport>;
  leave(): Promise<void>;
}

/**
 * A bare page around livekit-client's UMD build: join, publish the fake camera and microphone, attach every
 * remote track to a visible element, and report inbound-rtp counters per remote track.
 */
const TEST_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>LiveKit media test</title>
<style>video { width: 320px; height: 240px; background: #000; margin: 4px; }</style>
<script src="/livekit-client.umd.js"></script></head>
<body><h1 id="who"></h1><div id="remote"></div>
<script>
const { Room, RoomEvent } = LivekitClient;
let room;
const received = [];
window.mediaTest = {
  async join(url, token) {
    room = new Room({ adaptiveStream: false, dynacast: false });
    room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      const el = track.attach();
      el.dataset.from = participant.identity;
      document.getElementById('remote').append(el);
      received.push({ track, from: participant.identity });
    });
    const t0 = performance.now();
    await room.connect(url, token, { rtcConfig: { iceServers: [] } });
    const t1 = performance.now();
    document.getElementById('who').textContent = room.localParticipant.identity;
    await room.localParticipant.enableCameraAndMicrophone();
    return { connectMs: Math.round(t1 - t0), publishMs: Math.round(performance.now() - t1) };
  },
  async report() {
    const tracks = [];
    let selectedPair;
    for (const { track, from } of received) {
      const stats = await track.getRTCStatsReport();
      const entry = { kind: track.kind, from, bytesReceived: 0, framesDecoded: 0, totalSamplesReceived: 0 };
      stats?.forEach((s) => {
        if (s.type === 'inbound-rtp') {
          entry.bytesReceived += s.bytesReceived ?? 0;
          entry.framesDecoded += s.framesDecoded ?? 0;
          entry.totalSamplesReceived += s.totalSamplesReceived ?? 0;
        }
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          const local = stats.get(s.localCandidateId);
          const remote = stats.get(s.remoteCandidateId);
          selectedPair = local.protocol + ' ' + local.address + ':' + local.port + ' -> ' +
            remote.address + ':' + remote.port + ' (' + remote.candidateType + ')';
        }
      });
      tracks.push(entry);
    }
    return { tracks, selectedPair };
  },
  async leave() {
    await room?.disconnect();
  },
};
</script></body></html>`;

/** Serves the test page and livekit-client on 127.0.0.1, which browsers treat as a secure context. */
async function startPageServer(): Promise<{ url: string; server: Server }> {
  // The package's "require" export is the UMD build, which defines the global `LivekitClient`.
  const umdPath = createRequire(import.meta.url).resolve('livekit-client');
  assert.match(umdPath, /livekit-client\.umd\.js$/);
  const livekitClient = readFileSync(umdPath);
  const server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(TEST_PAGE);
    else if (req.url === '/livekit-client.umd.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(livekitClient);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Calls into the test page; the callbacks run in the browser, where the page API is a global. */
type PageGlobal = { mediaTest: MediaTestApi };
const api = (page: Page) => ({
  join: (url: string, token: string) =>
    page.evaluate((a) => (globalThis as unknown as PageGlobal).mediaTest.join(a.url, a.token), { url, token }),
  report: () => page.evaluate(() => (globalThis as unknown as PageGlobal).mediaTest.report()),
  leave: () => page.evaluate(() => (globalThis as unknown as PageGlobal).mediaTest.leave()),
});

/** Polls until the page has decoded video and received audio from `peer`, or fails after `timeoutMs`. */
async function waitForMediaFrom(page: Page, peer: string, timeoutMs: number): Promise<PageReport> {
  const deadline = Date.now() + timeoutMs;
  let report: PageReport = { tracks: [] };
  while (Date.now() < deadline) {
    report = await api(page).report();
    const video = track(report, peer, 'video');
    const audio = track(report, peer, 'audio');
    if (video && video.framesDecoded > 0 && audio && audio.totalSamplesReceived > 0) return report;
    await sleep(100);
  }
  throw new Error(`no media from ${peer} within ${timeoutMs} ms; last report: ${JSON.stringify(report)}`);
}

function track(report: PageReport, from: string, kind: ReceivedTrack['kind']): ReceivedTrack | undefined {
  return report.tracks.find((t) => t.from === from && t.kind === kind);
}

/** Video bytes and decoded frames, audio bytes and samples from `peer` all rose between the two reports. */
function assertStillReceiving(me: string, peer: string, before: PageReport, after: PageReport): void {
  for (const kind of ['video', 'audio'] as const) {
    const was = track(before, peer, kind);
    const now = track(after, peer, kind);
    assert.ok(was && now, `${me} has no ${kind} track from ${peer}`);
    assert.ok(now.bytesReceived > was.bytesReceived, `${me}: ${kind} bytes from ${peer} stopped rising`);
    if (kind === 'video') {
      assert.ok(now.framesDecoded > was.framesDecoded, `${me}: video frames from ${peer} stopped rising`);
    } else {
      assert.ok(
        now.totalSamplesReceived > was.totalSamplesReceived,
        `${me}: audio samples from ${peer} stopped rising`,
      );
    }
  }
}

describe('LiveKit media between headless Chromium pages (loopback)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  let pageServer: { url: string; server: Server };
  let gateway: LiveKitGateway;
  const roomName = `e2e-media-${randomUUID()}`;

  before(async () => {
    [env, browser, pageServer] = await Promise.all([useTestEnvironment(), launchBrowser(), startPageServer()]);
    gateway = testGateway(env);
    // room.auto_create is off: joining fails unless the room exists.
    await gateway.createRoom({ name: roomName, emptyTimeoutSeconds: 60, maxParticipants: 4 });
  });

  after(async () => {
    await browser?.close();
    await gateway?.deleteRoom(roomName).catch(() => undefined);
    if (pageServer) await new Promise((resolve) => pageServer.server.close(resolve));
  });

  async function token(identity: string): Promise<string> {
    const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret, { identity, ttl: '5m' });
    at.addGrant({ room: roomName, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
    return at.toJwt();
  }

  it('each page receives the other page’s camera and microphone, and keeps receiving', async () => {
    const people = ['alice', 'bob'] as const;
    const pages = await Promise.all(
      people.map(async () => {
        const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
        page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
        await page.goto(pageServer.url);
        return page;
      }),
    );
    const [alice, bob] = pages as [Page, Page];

    try {
      const tokens = await Promise.all(people.map(token));
      const started = performance.now();
      const joins = await Promise.all([
        api(alice).join(env.stack.livekit.url, tokens[0] as string),
        api(bob).join(env.stack.livekit.url, tokens[1] as string),
      ]);
      const joinedMs = performance.now() - started;
      const [first] = await Promise.all([
        waitForMediaFrom(alice, 'bob', 20_000),
        waitForMediaFrom(bob, 'alice', 20_000),
      ]);
      const firstFrameMs = performance.now() - started;

      const before = await Promise.all([api(alice).report(), api(bob).report()]);
      await sleep(2000);
      const after = await Promise.all([api(alice).report(), api(bob).report()]);

      for (const [i, me] of people.entries()) {
        assertStillReceiving(me, people[1 - i] as string, before[i] as PageReport, after[i] as PageReport);
      }
      assert.match(first.selectedPair ?? '', /-> 127\.0\.0\.1:/, `unexpected ICE pair: ${first.selectedPair}`);

      const frames = (r: PageReport | undefined, peer: string) => (r && track(r, peer, 'video')?.framesDecoded) ?? 0;
      const fps = people.map(
        (me, i) => `${me} ${(frames(after[i], people[1 - i]!) - frames(before[i], people[1 - i]!)) / 2}`,
      );
      const joinDetail = joins.map((j, i) => `${people[i]} connect ${j.connectMs} + publish ${j.publishMs}`);
      console.log(
        `      joined ${Math.round(joinedMs)} ms (${joinDetail.join(', ')}), ` +
          `first frame both ways ${Math.round(firstFrameMs)} ms; received video fps: ${fps.join(', ')}; ` +
          `ICE ${first.selectedPair}`,
      );
      await saveScreenshot(alice, 'livekit-media-alice');
    } catch (err) {
      await Promise.all(pages.map((p, i) => saveScreenshot(p, `livekit-media-failure-${people[i]}`).catch(() => 0)));
      throw err;
    } finally {
      await Promise.all(
        pages.map((p) =>
          api(p)
            .leave()
            .catch(() => undefined),
        ),
      );
    }
  });
});
