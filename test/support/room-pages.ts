/**
 * A person in a live class in a Chromium page: e2e tests use this. `useRoomPages` is the usual suite: each
 * person is launched from the demo LMS's launch URL (the real OIDC round trip) as a top-level page on the
 * pre-join page. A `Seat` (`openSeat`) is a person on the demo LMS course page with the tool in its iframe,
 * as an LMS shows it, for suites that start their own environment; `joinClass`, `waitForFullGrid` and
 * `assertEveryoneReceivesEveryone` check what several seats see and receive. Every profile keeps its peer
 * connections readable (media-stats.ts). For the room API, or a native-SDK participant beside the pages
 * (say, a crowd of cameras), use room-client.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { saveScreenshot, screenshotDir, startBrowserTest } from './browser.js';
import { describeFlow, KEEP_PEER_CONNECTIONS, sampleFlows, type FlowReport } from './media-stats.js';
import { waitUntil } from './room-client.js';
import type { TestEnvironment } from './test-tool.js';

export interface LaunchOptions {
  activity?: string;
  locale?: string;
  viewport?: { width: number; height: number };
}

/**
 * The usual browser room suite: registers before/after hooks that start the stack and Chromium and close
 * every context, and opens people on the pre-join page through a real demo LMS launch (the OIDC round trip,
 * landing on /launch#token=...), each in a fresh profile whose peer connections the test can read.
 */
export function useRoomPages(
  failurePrefix: string,
  /** Settings for a tool of the suite's own (read when the suite starts: a before hook may fill them). */
  overrides?: Record<string, string>,
) {
  let env: TestEnvironment | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest(overrides && Object.keys(overrides).length ? overrides : undefined);
  });
  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await browser?.close();
  });

  const started = (): [TestEnvironment, Browser] => {
    if (!env || !browser) throw new Error('useRoomPages: the suite has not started');
    return [env, browser];
  };

  return {
    get env(): TestEnvironment {
      return started()[0];
    },

    async launch(role: 'instructor' | 'student', user: string, options: LaunchOptions = {}): Promise<Page> {
      const [environment, chromium] = started();
      const { activity, locale = 'en-US', viewport = { width: 1280, height: 900 } } = options;
      const context = await chromium.newContext({ locale, viewport });
      contexts.push(context);
      await context.addInitScript(KEEP_PEER_CONNECTIONS);
      const page = await context.newPage();
      const query = new URLSearchParams({ role, user, locale, ...(activity ? { activity } : {}) });
      await page.goto(`${environment.tool.demoUrl}/platform/launch?${query}`);
      await page.waitForURL((url) => url.pathname === '/launch');
      return page;
    },

    /** Runs `body`; on failure saves a screenshot of every page before rethrowing. */
    async withFailureShots(pages: Page[], body: () => Promise<void>): Promise<void> {
      try {
        await body();
      } catch (err) {
        await Promise.all(
          pages.map((p, i) => saveScreenshot(p, `${failurePrefix}-failure-${i}`).catch(() => undefined)),
        );
        throw err;
      }
    },
  };
}

/** One person at their own browser profile: the demo LMS course page with the tool in its iframe. */
export interface Seat {
  name: string;
  context: BrowserContext;
  page: Page;
  tool: FrameLocator;
  /** The tool's frame (the same Frame object across the iframe's navigations). */
  frame: Frame;
  /** data-identity of the own tile, known after joining. */
  identity: string;
  /** POST /api/room/token answers seen by this page, in order. */
  tokens: { at: number; status: number; expiresAt?: string }[];
  /** Console lines of the page and its frames, with times (livekit-client logs its reconnection steps). */
  console: { at: number; text: string }[];
}

/**
 * Watches the room page in the tool's frame: every change of main.room's data-connection, of the status
 * banner's text, and whether an end screen (main[data-end]) is shown, with Date.now() times.
 */
export const RECORD_ROOM_STATE = `(() => {
  const log = (window.__roomStates = []);
  const snapshot = () => {
    const room = document.querySelector('main.room');
    const state = {
      connection: room?.getAttribute('data-connection') ?? null,
      banner: document.querySelector('.banner[role="status"]')?.textContent?.trim() ?? '',
      end: document.querySelector('main[data-end]')?.getAttribute('data-end') ?? null,
    };
    const last = log[log.length - 1];
    if (!last || last.connection !== state.connection || last.banner !== state.banner || last.end !== state.end) {
      log.push({ at: Date.now(), ...state });
    }
  };
  snapshot();
  new MutationObserver(snapshot).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-connection', 'data-end'],
  });
})()`;

export interface RoomState {
  at: number;
  connection: string | null;
  banner: string;
  end: string | null;
}

export const roomStates = (seat: Seat): Promise<RoomState[]> =>
  seat.frame.evaluate('window.__roomStates ?? []') as Promise<RoomState[]>;

/**
 * Asserts that every seat receives, from each of the others, a video stream with rising framesDecoded and
 * an audio stream with rising totalSamplesReceived (and rising bytes). A stream's owner is the
 * data-identity of the element that plays it, so this checks each remote participant, not just totals.
 */
export async function assertEveryoneReceivesEveryone(seats: Seat[], attempts = 3): Promise<FlowReport[]> {
  // A stream that starts during a sample has no first reading and does not count as rising yet: such a
  // sample is taken again (a few times at most); a stream that never flows still fails.
  for (let attempt = 1; ; attempt++) {
    const reports = await sampleFlows(seats.map((s) => s.frame));
    try {
      assertFlows(seats, reports);
      return reports;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

function assertFlows(seats: Seat[], reports: FlowReport[]): void {
  seats.forEach((seat, i) => {
    const report = reports[i] as FlowReport;
    const detail = `\n${seat.name} saw:\n${describeFlow(report)}`;
    const others = seats.filter((s) => s !== seat);
    for (const kind of ['video', 'audio'] as const) {
      const rising = report.rising.filter((s) => s.kind === kind);
      assert.ok(
        rising.length >= others.length,
        `${seat.name}: ${rising.length} rising inbound ${kind} streams${detail}`,
      );
      for (const other of others) {
        assert.ok(
          rising.some((s) => s.owner === other.identity),
          `${seat.name}: no rising inbound ${kind} from ${other.name} (${other.identity})${detail}`,
        );
      }
    }
  });
}

/**
 * Opens the demo LMS course page in a fresh profile and presses "Join as <role>": the real OIDC round
 * trip runs in the iframe named tool-frame and ends on the pre-join page. The course page's buttons
 * launch the role's default roster member; a hidden `user` field in the same form (the demo's launch
 * endpoint accepts it) gives each profile its own person.
 */
export async function openSeat(
  browser: Browser,
  demoUrl: string,
  role: 'instructor' | 'student',
  user: string,
  /** The demo course's activity to launch (its id, from "Activity to launch"); the first one otherwise. */
  activity?: string,
): Promise<Seat> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 2000 } });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(KEEP_PEER_CONNECTIONS);
  const page = await context.newPage();
  const tokens: Seat['tokens'] = [];
  const consoleLines: Seat['console'] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() !== 'POST' || new URL(response.url()).pathname !== '/api/room/token') return;
    const at = Date.now();
    const entry: Seat['tokens'][number] = { at, status: response.status() };
    tokens.push(entry);
    response.json().then(
      (body: { expiresAt?: string }) => (entry.expiresAt = body.expiresAt),
      () => undefined,
    );
  });
  page.on('console', (message) => {
    consoleLines.push({ at: Date.now(), text: `${message.type()}: ${message.text()}`.slice(0, 300) });
  });
  try {
    await page.goto(demoUrl);
    if (activity) await page.getByLabel('Activity to launch').selectOption(activity);
    await page.getByRole('form', { name: 'Join an activity' }).evaluate((form, id) => {
      const input = form.ownerDocument.createElement('input');
      Object.assign(input, { type: 'hidden', name: 'user', value: id });
      form.append(input);
    }, user);
    await page.getByRole('button', { name: `Join as ${role}`, exact: true }).click();
    await page.frameLocator('iframe[name="tool-frame"]').getByRole('button', { name: 'Join the class' }).waitFor();
  } catch (err) {
    await saveScreenshot(page, `seat-failure-${user}`).catch(() => undefined);
    await context.close();
    throw err;
  }
  const tool = page.frameLocator('iframe[name="tool-frame"]');
  const frame = page.frame({ name: 'tool-frame' });
  assert.ok(frame, 'the course page has no frame named tool-frame');
  assert.equal(new URL(frame.url()).pathname, '/launch');
  // The init script ran inside the iframe too: the tool's peer connections will be readable there.
  assert.equal(await frame.evaluate('Array.isArray(window.__peerConnections)'), true);
  return { name: user, context, page, tool, frame, identity: '', tokens, console: consoleLines };
}

/** Presses "Join the class" and waits for the own tile with the own camera. */
export async function joinClass(s: Seat): Promise<void> {
  await s.tool.getByRole('button', { name: 'Join the class' }).click();
  const own = s.tool.locator('.tile[data-identity][data-local="true"]');
  // Generous: three browsers publishing at once on two cores can take a while to get the first frame.
  await own.locator('video').waitFor({ timeout: 60_000 });
  s.identity = (await own.getAttribute('data-identity')) ?? '';
  assert.ok(s.identity, `${s.name}: the own tile has no data-identity`);
}

/** Every seat shows exactly one tile per seat, and the others' tiles show their camera. */
export async function waitForFullGrid(all: Seat[]): Promise<void> {
  for (const s of all) {
    const tiles = s.tool.locator('.tile[data-identity]');
    await waitUntil(async () => (await tiles.count()) === all.length, 30_000, `${s.name}: ${all.length} tiles`, {
      retryErrors: true,
    });
    for (const other of all.filter((o) => o !== s)) {
      await s.tool.locator(`.tile[data-identity="${other.identity}"]:not([data-local]) video`).waitFor();
      await s.tool
        .locator(`audio[data-identity="${other.identity}"], .tile[data-identity="${other.identity}"] audio`)
        .first()
        .waitFor({ state: 'attached' });
    }
    assert.equal(await s.tool.locator('.tile[data-identity][data-local="true"]').count(), 1);
  }
}

/** Writes what a test observed (timings, states) to test-results/<name>.json for reading after a run. */
export function writeTimeline(name: string, data: unknown): void {
  mkdirSync(screenshotDir(), { recursive: true });
  writeFileSync(path.join(screenshotDir(), `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

/** The three frames the classroom is tried in: two LMS iframes and a phone as the LMS apps open tools. */
export const FRAME_SIZES = [
  { name: 'iframe-1100x700', page: { width: 1280, height: 900 }, frame: { width: 1100, height: 700 } },
  { name: 'iframe-800x500', page: { width: 1000, height: 700 }, frame: { width: 800, height: 500 } },
  { name: 'phone-390x844', page: { width: 390, height: 844 }, frame: { width: 390, height: 844 } },
] as const;
export type FrameSize = (typeof FRAME_SIZES)[number];

/** Sizes the course page and the tool's iframe in it (the phone: the frame fills the page), frame on screen. */
export async function sizeFrame(seat: Seat, size: FrameSize): Promise<void> {
  await seat.page.setViewportSize(size.page);
  const full = size.page.width === size.frame.width;
  const style = full
    ? { position: 'fixed', inset: '0', width: '100vw', height: '100vh', border: '0', zIndex: '10' }
    : { position: 'static', width: `${size.frame.width}px`, height: `${size.frame.height}px` };
  await seat.page.evaluate(
    `Object.assign(document.querySelector('iframe[name="tool-frame"]').style, ${JSON.stringify(style)})`,
  );
  // The whole frame on screen, as someone in the course page would scroll to it (clicks need it).
  await seat.page.locator('iframe[name="tool-frame"]').scrollIntoViewIfNeeded();
}
