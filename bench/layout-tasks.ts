/**
 * `npm run bench`: layout work with 25 tiles. A teacher's launcher in the demo LMS (headless Chromium, fake
 * camera) in a class of native-SDK publishers (160x120 cameras), put through what a class does to the
 * layout: the frame resized across the three sizes (1100x700 and 800x500 iframes, a 390x844 phone), the
 * views switched (speaker, presentation-less gallery), the people panel opened and closed, the self view
 * moved to the corner and back. Chromium reports every task over 50 ms (PerformanceObserver 'longtask',
 * the same long tasks its performance trace marks). Compared in one run: the same script with 2 people.
 * Results: bench/results/layout-tasks.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../src/paths.js';
import { runBench } from './lib/run.js';
import { launchBrowser } from '../test/support/browser.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../test/support/room-client.js';
import { FRAME_SIZES, joinClass, openSeat, sizeFrame, type FrameSize, type Seat } from '../test/support/room-pages.js';
import { stopTestEnvironment, useTestEnvironment, type TestEnvironment } from '../test/support/test-tool.js';

const SIZES = FRAME_SIZES;
const ROUNDS = Number(process.env.BENCH_LAYOUT_ROUNDS ?? 3);

/** Installed in the tool's frame: every long task from now on. */
const OBSERVE = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
  }).observe({ type: 'longtask' });
  return true;
})()`;

async function resize(seat: Seat, size: FrameSize): Promise<void> {
  await sizeFrame(seat, size);
  await waitUntil(
    async () => Math.abs(((await seat.frame.evaluate('innerWidth')) as number) - size.frame.width) < 2,
    10_000,
    'the frame resized',
  );
  await new Promise((r) => setTimeout(r, 400));
}

async function more(seat: Seat, item: string): Promise<void> {
  await seat.tool.getByRole('button', { name: 'More', exact: true }).click();
  const menu = seat.tool.getByRole('menu', { name: 'More' });
  await menu
    .getByRole(/view|Self/.test(item) ? 'menuitemradio' : 'menuitem', { name: item })
    .first()
    .click();
  await new Promise((r) => setTimeout(r, 400));
}

/** The scripted layout work; long tasks seen during it. */
async function script(seat: Seat): Promise<number[]> {
  await resize(seat, SIZES[0]);
  await seat.frame.evaluate(OBSERVE);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const size of [SIZES[1], SIZES[2], SIZES[0]]) await resize(seat, size);
    await more(seat, 'Speaker view');
    await more(seat, 'Gallery view');
    await seat.tool.locator('[data-control="people"]').click();
    await new Promise((r) => setTimeout(r, 400));
    await seat.tool.locator('[data-control="people"]').click();
    await new Promise((r) => setTimeout(r, 400));
  }
  return (await seat.frame.evaluate('window.__longTasks')) as number[];
}

async function classOf(env: TestEnvironment, browser: Browser, people: number, crowd: TestParticipant[]) {
  const activity = await LaunchedUser.createActivity(env.tool.url, { title: `Layout ${people}`, maxParticipants: 40 });
  const seat = await openSeat(
    browser,
    env.tool.demoUrl as string,
    'instructor',
    `tasks-${people}-${process.pid}`,
    activity,
  );
  await joinClass(seat);
  for (let i = 1; i < people; i += 1) {
    const user = await LaunchedUser.launch(env.tool.url, 'student', activity, `tasks-${people}-${process.pid}-${i}`);
    const p = await TestParticipant.connect(await user.joinGrant());
    crowd.push(p);
    await p.publishCamera();
  }
  await resize(seat, SIZES[0]);
  const tiles = seat.tool.locator('.stage-view .tile[data-identity]');
  await waitUntil(async () => (await tiles.count()) === people, 60_000, `${people} tiles`);
  // Every camera playing before the clock starts: first frames are decoding, not layout.
  await new Promise((r) => setTimeout(r, 3000));
  return seat;
}

const summary = (tasks: number[]) => ({
  longTasks: tasks.length,
  longestMs: tasks.length ? Math.max(...tasks) : 0,
  totalMs: tasks.reduce((a, b) => a + b, 0),
});

async function main(): Promise<void> {
  let browser: Browser | undefined;
  const crowd: TestParticipant[] = [];
  try {
    const [env, launched] = await Promise.all([useTestEnvironment(), launchBrowser()]);
    browser = launched;
    const results: Record<string, ReturnType<typeof summary>> = {};
    for (const people of [2, 25]) {
      const seat = await classOf(env, browser, people, crowd);
      results[`people${people}`] = summary(await script(seat));
      await seat.context.close();
      await Promise.all(crowd.splice(0).map((p) => p.disconnect()));
    }
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      rounds: ROUNDS,
      ...results,
    };
    writeFileSync(
      path.join(projectRoot(), 'bench', 'results', 'layout-tasks.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await Promise.all(crowd.map((p) => p.disconnect()));
    await browser?.close();
    await stopTestEnvironment();
  }
}

runBench(main);
