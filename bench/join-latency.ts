/**
 * `npm run bench`: join latency, Join click -> first remote video frame presented, of our launcher beside a
 * bare livekit-client page on the same SFU, in one run.
 *
 * The real stack and the tool in this process (the test environment, client from dist/client: the bench
 * chain builds it first), one headless Chromium with fake camera and microphone, and a teacher in the room:
 * a native @livekit/rtc-node participant publishing a 320x240 camera at 30 frames a second. Then ROUNDS
 * rounds, each one of ours and one bare, the order flipping each round, each in a fresh browser context:
 * - ours: a student launched through the demo LMS (the whole OIDC trip) lands on the pre-join page; once
 *   Join is there and the camera preview plays, the student looks at it for DWELL_MS and clicks "Join the
 *   class";
 * - bare: a page served by the bench (bench/lib/bare-join, livekit-client bundled by vite from
 *   node_modules) gets a token minted beforehand with livekit-server-sdk, waits the same DWELL_MS after
 *   loading and, on its button's click, connects with the launcher's Room options.
 * Both time in the page, from the click event to the first requestVideoFrameCallback of the teacher's
 * <video>, and both then publish camera and microphone. Medians and the ratio ours/bare go to
 * bench/results/join-latency.json (`BENCH_LABEL` names the run there).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccessToken } from 'livekit-server-sdk';
import {
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as prettier from 'prettier';
import { createLiveKitGateway } from '../src/livekit/livekit-gateway.js';
import { projectRoot } from '../src/paths.js';
import { runBench } from './lib/run.js';
import { servePage } from './lib/static-page.js';
import { inPage, launchBrowser } from '../test/support/browser.js';
import { LaunchedUser } from '../test/support/room-client.js';
import { stopTestEnvironment, useTestEnvironment, type TestEnvironment } from '../test/support/test-tool.js';
import { percentile } from './lib/load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARMUP = 2;
/** How long the user looks at the page before clicking (both sides). */
const DWELL_MS = Number(process.env.BENCH_DWELL_MS ?? 2000);
const FRAME_TIMEOUT_MS = 20_000;
/** A folder: each measured round's Chromium trace (click to first frame) is written there, for a profile. */
const TRACE_DIR = process.env.BENCH_TRACE;
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'blink.user_timing', 'v8.execute'];

/**
 * Runs `join` (click to first frame) under a Chromium trace and a CPU profile of the page (sampled every
 * 100 µs) when BENCH_TRACE names a folder: `<name>.json` (chrome://tracing, Perfetto) and `<name>.cpuprofile`.
 */
async function traced<T>(browser: Browser, page: Page, name: string, join: () => Promise<T>): Promise<T> {
  if (!TRACE_DIR) return join();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await browser.startTracing(page, { path: path.join(TRACE_DIR, `${name}.json`), categories: TRACE_CATEGORIES });
  await cdp.send('Profiler.start');
  try {
    return await join();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(path.join(TRACE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    await browser.stopTracing();
    await cdp.detach();
  }
}

/** Both pages: the main thread's long tasks (over 50 ms), to see how busy it is while joining. */
const LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries())).observe({ type: 'longtask' });
  // The signalling WebSocket (the page's first): when it is made, opens and brings its first message.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if (performance.getEntriesByName('ws:created', 'mark').length > 0) return;
      performance.mark('ws:created');
      this.addEventListener('open', () => performance.mark('ws:open'), { once: true });
      this.addEventListener('message', () => performance.mark('ws:first-message'), { once: true });
    }
  };
})()`;

/** Our page: notes the click on Join and the first frame of a remote tile's <video>. */
const OURS_PROBE = `(() => {
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button && button.textContent.includes('Join the class') && !window.__joinClickAt) {
      window.__joinClickAt = performance.now();
    }
  }, true);
  const watched = new WeakSet();
  new MutationObserver(() => {
    for (const video of document.querySelectorAll('.tile[data-identity]:not([data-local="true"]) video')) {
      if (watched.has(video)) continue;
      watched.add(video);
      // When the tile's <video> is in the page (the bare page attaches on the subscription itself).
      window.__remoteVideoAt ??= performance.now();
      video.requestVideoFrameCallback((now, meta) => {
        if (!window.__firstRemoteFrameAt) performance.mark('bench:first-frame');
        window.__firstRemoteFrameAt ??= performance.now();
        window.__firstFrameMeta ??= meta;
      });
    }
  }).observe(document, { subtree: true, childList: true });
})()`;

/** The user timing marks both pages set (RoomConnection's and the bare page's), in the order they come. */
const MARKS = [
  'room:connect',
  'ws:created',
  'ws:open',
  'ws:first-message',
  'room:signal-connected',
  'room:connected',
  'room:video-subscribed',
] as const;
/** Each mark's time after the click, in the page. */
const PHASES = `(() => {
  const after = {};
  for (const name of ${JSON.stringify(MARKS)}) {
    const mark = performance.getEntriesByName(name, 'mark')[0];
    if (mark) after[name] = mark.startTime - window.__joinClickAt;
  }
  if (window.__remoteVideoAt) after['video-element'] = window.__remoteVideoAt - window.__joinClickAt;
  // The first frame's own times (requestVideoFrameCallback metadata): its last packet received, presented.
  const meta = window.__firstFrameMeta;
  if (meta?.receiveTime) after['frame-received'] = meta.receiveTime - window.__joinClickAt;
  if (meta?.presentationTime) after['frame-presented'] = meta.presentationTime - window.__joinClickAt;
  // The main thread's long tasks between the click and the first frame, in total.
  after.longTasks = (window.__longTasks ?? [])
    .filter((t) => t.startTime >= window.__joinClickAt && t.startTime < window.__firstRemoteFrameAt)
    .reduce((sum, t) => sum + t.duration, 0);
  return after;
})()`;

interface Sample {
  ms: number;
  /** Milliseconds from the click to each of MARKS. */
  phases?: Record<string, number>;
  /** Ours: whether the join token and the room chunk were requested only after the click. */
  tokenAfterClick?: boolean;
  chunkAfterClick?: boolean;
}

/** A teacher in the room without a browser: a 320x240 camera at 30 frames a second, a moving grey. */
async function startPublisher(grant: { url: string; token: string }) {
  const room = new Room();
  await room.connect(grant.url, grant.token, { autoSubscribe: false, dynacast: false });
  const [width, height] = [320, 240];
  const source = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack('camera', source);
  await room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA, simulcast: false }),
  );
  const pixels = new Uint8Array(width * height * 4);
  let n = 0;
  const timer = setInterval(() => {
    pixels.fill(40 + (n++ % 150));
    source.captureFrame(new VideoFrame(pixels, width, height, VideoBufferType.RGBA));
  }, 33);
  return {
    stop: async () => {
      clearInterval(timer);
      await room.disconnect();
    },
  };
}

/** Builds the bare page (livekit-client from node_modules) and serves it on loopback. */
const serveBarePage = (outDir: string) =>
  servePage(fileURLToPath(new URL('./lib/bare-join/', import.meta.url)), outDir);

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(LONG_TASKS);
  return context;
}

const frameTimes = (page: Page) =>
  page.waitForFunction(
    inPage('window.__firstRemoteFrameAt !== undefined && window.__joinClickAt !== undefined'),
    null,
    {
      timeout: FRAME_TIMEOUT_MS,
    },
  );

async function ours(browser: Browser, demoUrl: string, user: string): Promise<Sample> {
  const context = await newContext(browser);
  try {
    await context.addInitScript(OURS_PROBE);
    const page = await context.newPage();
    await page.goto(`${demoUrl}/platform/launch?role=student&user=${user}`);
    const join = page.getByRole('button', { name: 'Join the class' });
    await join.waitFor();
    await page.waitForFunction(
      inPage(`(() => { const v = document.querySelector('video.preview-video'); return !!v && v.videoWidth > 0; })()`),
    );
    await page.waitForTimeout(DWELL_MS);
    await traced(browser, page, `ours-${user}`, async () => {
      await join.click();
      await frameTimes(page);
    });
    const phases = (await page.evaluate(PHASES)) as Record<string, number>;
    const timing = await page.evaluate(`(() => {
      const click = window.__joinClickAt;
      const resources = performance.getEntriesByType('resource');
      const started = (re) => resources.filter((r) => re.test(r.name)).map((r) => r.startTime);
      const token = started(/\\/api\\/room\\/token$/);
      const chunk = started(/\\/assets\\/room-app-[^/]*\\.js$/);
      return {
        ms: window.__firstRemoteFrameAt - click,
        tokenAfterClick: token.length > 0 && Math.min(...token) >= click,
        chunkAfterClick: chunk.length > 0 && Math.min(...chunk) >= click,
      };
    })()`);
    return { ...(timing as Sample), phases };
  } finally {
    await context.close();
  }
}

async function bare(
  browser: Browser,
  pageUrl: string,
  grant: { url: string; token: string },
  name: string,
): Promise<Sample> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(inPage(`!document.getElementById('join').disabled`));
    await page.evaluate((g) => Object.assign(globalThis, { __grant: g }), grant);
    await page.waitForTimeout(DWELL_MS);
    await traced(browser, page, `bare-${name}`, async () => {
      await page.click('#join');
      await frameTimes(page);
    });
    return {
      ms: (await page.evaluate('window.__firstRemoteFrameAt - window.__joinClickAt')) as number,
      phases: (await page.evaluate(PHASES)) as Record<string, number>,
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

function summary(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(1));
  return {
    medianMs: round(percentile(ms, 50)),
    p25Ms: round(percentile(ms, 25)),
    p75Ms: round(percentile(ms, 75)),
    minMs: round(ms[0] as number),
    maxMs: round(ms[ms.length - 1] as number),
    samplesMs: samples.map((s) => round(s.ms)),
    // Median milliseconds from the click to each mark (where the time goes), and of the long tasks.
    medianAfterClickMs: Object.fromEntries(
      [...MARKS, 'video-element', 'frame-received', 'frame-presented', 'longTasks'].map((name) => {
        const at = samples.map((s) => s.phases?.[name]).filter((n): n is number => n !== undefined);
        return [name, at.length ? round(median(at)) : null];
      }),
    ),
  };
}

async function main(): Promise<void> {
  let env: TestEnvironment | undefined;
  let browser: Browser | undefined;
  let publisher: Awaited<ReturnType<typeof startPublisher>> | undefined;
  let barePage: Awaited<ReturnType<typeof serveBarePage>> | undefined;
  try {
    [env, browser] = await Promise.all([useTestEnvironment(), launchBrowser()]);
    const demoUrl = env.tool.demoUrl as string;
    const { apiKey, apiSecret } = env.stack.livekit;
    const gateway = createLiveKitGateway({
      apiUrl: env.stack.livekit.url.replace(/^ws/, 'http'),
      apiKey,
      apiSecret,
      requestTimeoutMs: 5000,
    });
    barePage = await serveBarePage(path.join(env.workDir, 'bare-join'));
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor');
    const teacherGrant = await teacher.joinGrant();
    publisher = await startPublisher(teacherGrant);
    const room = teacherGrant.room;

    const bareGrant = async (i: number) => {
      const at = new AccessToken(apiKey, apiSecret, { identity: `bare-${i}`, name: 'Bare page', ttl: 600 });
      at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true });
      return { url: teacherGrant.url, token: await at.toJwt() };
    };
    /** Everyone but the teacher leaves, so that each round joins the same room of two. */
    const clearRoom = async () => {
      for (let i = 0; i < 50; i += 1) {
        const others = (await gateway.listParticipants(room)).filter((p) => p.identity !== teacherGrant.identity);
        if (others.length === 0) return;
        await Promise.all(others.map((p) => gateway.removeParticipant(room, p.identity).catch(() => undefined)));
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const samples: { ours: Sample[]; bare: Sample[] } = { ours: [], bare: [] };
    for (let r = 0; r < WARMUP + ROUNDS; r += 1) {
      const order = r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
      for (const kind of order) {
        const sample =
          kind === 'ours'
            ? await ours(browser, demoUrl, `bench-join-${r}`)
            : await bare(browser, barePage.url, await bareGrant(r), `round-${r}`);
        await clearRoom();
        if (r >= WARMUP) samples[kind].push(sample);
        console.log(`round ${r + 1}${r < WARMUP ? ' (warm-up)' : ''} ${kind}: ${JSON.stringify(sample)}`);
      }
    }

    const o = summary(samples.ours);
    const b = summary(samples.bare);
    const result = {
      benchmark: 'join-latency-vs-bare-livekit-client',
      label: process.env.BENCH_LABEL,
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load: os.loadavg().map((n) => Number(n.toFixed(2))), node: process.version },
      measure: 'Join click event -> first requestVideoFrameCallback of the remote camera <video>, in the page',
      marks:
        'milliseconds after the click: room:connect = Room.connect called, room:signal-connected = the join response, room:connected = connect() resolved, room:video-subscribed = the camera subscribed, video-element = (ours) the remote tile has its <video>, longTasks = long tasks (over 50 ms) between the click and the frame, in total',
      rounds: ROUNDS,
      warmupRounds: WARMUP,
      dwellMs: DWELL_MS,
      publisher: '@livekit/rtc-node, 320x240 camera at 30 fps, no simulcast',
      ours: {
        ...o,
        tokenRequestedAfterClick: samples.ours.filter((s) => s.tokenAfterClick).length,
        roomChunkRequestedAfterClick: samples.ours.filter((s) => s.chunkAfterClick).length,
      },
      bareLivekitClient: b,
      ratioOfMedians: Number((o.medianMs / b.medianMs).toFixed(2)),
      target: 'ratio of medians <= 1.15',
      withinTarget: o.medianMs / b.medianMs <= 1.15,
    };
    const file = path.join(projectRoot(), 'bench', 'results', 'join-latency.json');
    // As prettier --check wants it (it puts the sample arrays on one line).
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    writeFileSync(file, await prettier.format(JSON.stringify(result, null, 2), options));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await publisher?.stop().catch(() => undefined);
    barePage?.close();
    await browser?.close();
    await stopTestEnvironment();
  }
}

// The native SDK's handles keep the process alive after the room is left: exit once done.
runBench(main);
