import assert from 'node:assert/strict';
import path from 'node:path';
import { AudioFrame, AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import type { Browser } from 'playwright-core';
import { assertNoSeriousViolations } from '../support/axe.js';
import { screenshotDir, startBrowserTest } from '../support/browser.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { FRAME_SIZES, joinClass, openSeat, sizeFrame, type Seat } from '../support/room-pages.js';
import type { TestEnvironment } from '../support/test-tool.js';

const SIZES = FRAME_SIZES;

interface Measure {
  viewport: { width: number; height: number };
  bar: { top: number; bottom: number; left: number; right: number };
  /** Share of the stage's box the tiles cover. */
  fill: number;
  tiles: number;
  pages: string | null;
}

/** Runs in the tool's frame: where the control bar is, and how much of the stage the tiles cover. */
const MEASURE = `(() => {
  const box = (el) => el.getBoundingClientRect();
  const bar = box(document.querySelector('.control-bar'));
  const stage = box(document.querySelector('.stage-view'));
  const tiles = [...document.querySelectorAll('.stage-view .tile')].filter((t) => !t.closest('.self-corner'));
  const covered = tiles.reduce((sum, t) => { const r = box(t); return sum + r.width * r.height; }, 0);
  return {
    viewport: { width: innerWidth, height: innerHeight },
    bar: { top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right },
    fill: covered / (stage.width * stage.height),
    tiles: tiles.length,
    pages: document.querySelector('.pager span')?.textContent ?? null,
  };
})()`;

interface PresentationMeasure {
  viewport: { width: number; height: number };
  bar: { top: number; bottom: number; left: number; right: number };
  layout: string | null;
  /** Share of the stage's box the shared screen's tile covers, and of its width. */
  screenArea: number;
  screenWidth: number;
  /** No other tile is as large as the screen's. */
  screenLargest: boolean;
  /** The decoded width of the screen's video (0: no frame yet). */
  videoWidth: number;
  strip: number;
  featured: string | null;
}

/** Runs in the tool's frame: the shared screen's tile against the stage, the strip, the control bar. */
const MEASURE_PRESENTATION = `(() => {
  const box = (el) => el.getBoundingClientRect();
  const area = (r) => r.width * r.height;
  const bar = box(document.querySelector('.control-bar'));
  const view = document.querySelector('.stage-view');
  const stage = box(view);
  const screen = view.querySelector('[data-screen]');
  const shown = screen ? box(screen) : { width: 0, height: 0 };
  const tiles = [...view.querySelectorAll('.tile')].filter((t) => t !== screen && !t.closest('.self-corner'));
  return {
    viewport: { width: innerWidth, height: innerHeight },
    bar: { top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right },
    layout: view.getAttribute('data-layout'),
    screenArea: area(shown) / area(stage),
    screenWidth: shown.width / stage.width,
    screenLargest: Boolean(screen) && tiles.every((t) => area(box(t)) < area(shown)),
    videoWidth: screen?.querySelector('video')?.videoWidth ?? 0,
    strip: view.querySelectorAll('.strip .tile').length,
    featured: view.querySelector('.tile.featured')?.getAttribute('data-identity') ?? null,
  };
})()`;

/** A native-SDK participant publishing a tone on its microphone (what the speaking ring must show). */
async function publishTone(p: TestParticipant): Promise<() => void> {
  const rate = 48_000;
  const source = new AudioSource(rate, 1);
  const track = LocalAudioTrack.createAudioTrack('microphone', source);
  await p.room.localParticipant!.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  const samples = rate / 100;
  let phase = 0;
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const data = new Int16Array(samples);
      for (let i = 0; i < samples; i += 1) data[i] = Math.round(8000 * Math.sin((phase += (2 * Math.PI * 440) / rate)));
      await source.captureFrame(new AudioFrame(data, rate, 1, samples));
    }
  })();
  return () => {
    stopped = true;
  };
}

describe('classroom layout at three sizes (headless Chromium in the demo LMS, real LiveKit, native publishers)', function () {
  this.timeout(300_000);
  let env: TestEnvironment;
  let browser: Browser;
  let teacher: Seat | undefined;
  const seats: Seat[] = [];
  const crowd: TestParticipant[] = [];
  const stops: Array<() => void> = [];

  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  after(async () => {
    for (const stop of stops) stop();
    await Promise.all(crowd.map((p) => p.disconnect()));
    await teacher?.context.close();
    await Promise.all(seats.map((s) => s.context.close()));
    await browser?.close();
  });

  /** Sizes the teacher's page and the LMS iframe, and measures the room inside it. */
  async function measureAt(size: (typeof SIZES)[number], seat = teacher as Seat): Promise<Measure> {
    await sizeFrame(seat, size);
    let last: Measure | undefined;
    // The stage remeasures on resize: wait until the frame has its size and the tiles have settled.
    await waitUntil(
      async () => {
        last = (await seat.frame.evaluate(MEASURE)) as Measure;
        return Math.abs(last.viewport.width - size.frame.width) < 2 && last.fill > 0;
      },
      10_000,
      `the room at ${size.name}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    return (await seat.frame.evaluate(MEASURE)) as Measure;
  }

  async function checkSizes(count: number, { axe = false } = {}): Promise<void> {
    for (const size of SIZES) {
      const m = await measureAt(size);
      const where = `${count} people at ${size.name}`;
      assert.ok(
        m.bar.top >= 0 && m.bar.bottom <= m.viewport.height + 0.5,
        `${where}: control bar inside (${JSON.stringify(m.bar)})`,
      );
      assert.ok(m.bar.left >= 0 && m.bar.right <= m.viewport.width + 0.5, `${where}: control bar within the width`);
      assert.ok(m.fill >= 0.8, `${where}: tiles cover ${(m.fill * 100).toFixed(0)}% of the stage`);
      if (axe) {
        for (const colorScheme of ['light', 'dark'] as const) {
          await teacher!.page.emulateMedia({ colorScheme });
          await assertNoSeriousViolations(teacher!.frame, `${where}, ${colorScheme}`);
        }
        await teacher!.page.emulateMedia({ colorScheme: 'light' });
      }
      // The tool's frame alone, as test-results/docs-layout-*.png: the source of docs/screenshots/layout-*.
      await teacher!.page
        .locator('iframe[name="tool-frame"]')
        .screenshot({ path: path.join(screenshotDir(), `docs-layout-${count}-${size.name}.png`) });
    }
  }

  async function addNative(activity: string, n: number): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      const user = await LaunchedUser.launch(
        env.tool.url,
        'student',
        activity,
        `layout-${process.pid}-${crowd.length + 1}`,
      );
      const p = await TestParticipant.connect(await user.joinGrant());
      crowd.push(p);
      await p.publishCamera();
    }
  }

  /** At the first size, where a class of 25 fits on one page beside the open panel. */
  async function waitForTiles(n: number): Promise<void> {
    await measureAt(SIZES[0]);
    const tiles = teacher!.tool.locator('.stage-view .tile[data-identity]');
    await waitUntil(async () => (await tiles.count()) === n, 60_000, `${n} tiles`);
  }

  it('fills the stage and keeps the controls in the frame with 2, 7 and 25 people; the speaking ring lights', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Layout', maxParticipants: 40 });
    assert.ok(env.tool.demoUrl, 'the test tool serves the demo LMS');
    teacher = await openSeat(browser, env.tool.demoUrl, 'instructor', `layout-teacher-${process.pid}`, activity);
    await joinClass(teacher);

    await addNative(activity, 1);
    stops.push(await publishTone(crowd[0] as TestParticipant));
    await waitForTiles(2);
    // The native participant's tone and the teacher's own (fake) microphone both light their rings.
    const speaking = teacher.tool.locator('.tile.speaking[data-identity]');
    await teacher.tool
      .locator(`.tile.speaking[data-identity="${crowd[0]!.room.localParticipant!.identity}"]`)
      .waitFor({ timeout: 15_000 });
    await teacher.tool.locator('.tile.speaking[data-local="true"]').waitFor({ timeout: 15_000 });
    assert.ok((await speaking.count()) >= 2);
    // Reactions: a student's shows on their tile; the teacher's own from the React menu, on theirs.
    const student = crowd[0] as TestParticipant;
    await student.room.localParticipant!.publishData(
      new TextEncoder().encode(JSON.stringify({ type: 'reaction', key: 'clap' })),
      { reliable: true, topic: 'reaction' },
    );
    await teacher.tool
      .locator(`.tile[data-identity="${student.room.localParticipant!.identity}"] .reaction[data-reaction="clap"]`)
      .waitFor({ timeout: 10_000 });
    await teacher.tool.getByRole('button', { name: 'React' }).click();
    await teacher.tool.getByRole('menuitem', { name: /thumbs up/ }).click();
    await teacher.tool.locator('.tile[data-local="true"] .reaction[data-reaction="thumbs-up"]').waitFor();
    await checkSizes(2);

    await addNative(activity, 5);
    await waitForTiles(7);
    // axe at each size in both themes, with a class on screen (once: it is slow beside live media).
    await checkSizes(7, { axe: true });

    await addNative(activity, 18);
    await waitForTiles(25);
    await checkSizes(25);
  });

  it('presentation layout: a shared screen fills the stage at three sizes, then the teacher is the large tile', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Presentation' });
    const open = async (role: 'instructor' | 'student', user: string) => {
      const seat = await openSeat(browser, env.tool.demoUrl ?? '', role, `${user}-${process.pid}`, activity);
      seats.push(seat);
      // The frame on screen before any click (a control at its bottom edge can sit below the course page).
      await sizeFrame(seat, SIZES[0]);
      await joinClass(seat);
      return seat;
    };
    const lead = await open('instructor', 'present-teacher');
    // The teacher keeps quiet (microphone off) while a classmate talks: speaker view would show the classmate.
    await lead.tool.locator('[data-control="microphone"]').click();
    await lead.tool.locator('[data-control="microphone"][aria-pressed="false"]').waitFor();
    const student = await open('student', 'present-student');
    // A classmate who never stops talking: presentation view must not put them large.
    const user = await LaunchedUser.launch(env.tool.url, 'student', activity, `present-talker-${process.pid}`);
    const talker = await TestParticipant.connect(await user.joinGrant());
    crowd.push(talker);
    await talker.publishCamera();
    stops.push(await publishTone(talker));
    const talkerId = talker.room.localParticipant!.identity;

    if (!(await lead.tool.locator('.leader-panel').isVisible()))
      await lead.tool.locator('[data-control="people"]').click();
    await lead.tool.locator('.leader-panel').getByTestId('class-layout-mode').selectOption('presentation');
    // Who has the large spot of presentation view on the student's page (null: another view, or a screen).
    const large = () =>
      student.frame.evaluate(
        `document.querySelector('.stage-view[data-layout="presentation"] .tile.featured')?.getAttribute('data-identity') ?? null`,
      ) as Promise<string | null>;
    await student.tool.locator(`.tile.speaking[data-identity="${talkerId}"]`).waitFor({ timeout: 15_000 });
    /** The teacher takes the large spot and keeps it for 3 s while the classmate talks on. */
    const teacherStaysLarge = async (when: string) => {
      await waitUntil(async () => (await large()) === lead.identity, 15_000, `the teacher large ${when}`);
      for (let i = 0; i < 6; i += 1) {
        await new Promise((r) => setTimeout(r, 500));
        const m = (await student.frame.evaluate(MEASURE_PRESENTATION)) as PresentationMeasure;
        assert.equal(m.featured, lead.identity, `the teacher stays large ${when} (${i})`);
        assert.ok(m.strip >= 2, `the others in the strip ${when}`);
      }
      // All the while the classmate talks (their ring lights in the strip), which speaker view would follow.
      await student.tool.locator(`.strip .tile.speaking[data-identity="${talkerId}"]`).waitFor({ timeout: 10_000 });
      assert.equal(await large(), lead.identity, `the teacher, not the one talking, ${when}`);
    };
    await teacherStaysLarge('before anyone shares');

    // Sharing: the sharer is told so in the large spot; the others get the screen there.
    await lead.tool.getByRole('button', { name: 'Share screen' }).click();
    await lead.tool.locator('.featured-slot .sharing-notice').getByText('You are sharing your screen').waitFor();
    const measure = () => student.frame.evaluate(MEASURE_PRESENTATION) as Promise<PresentationMeasure>;
    for (const size of SIZES) {
      const where = `the student's page at ${size.name}`;
      await sizeFrame(student, size);
      let m: PresentationMeasure | undefined;
      const phone = size.frame.width < 600;
      await waitUntil(
        async () => {
          m = await measure();
          return (
            Math.abs(m.viewport.width - size.frame.width) < 2 &&
            m.videoWidth > 0 &&
            m.screenLargest &&
            (phone ? m.strip === 0 : m.strip > 0)
          );
        },
        20_000,
        () => `${where}: the screen large, ${phone ? 'no strip' : 'the people in a strip'} (${JSON.stringify(m)})`,
        { retryErrors: true },
      );
      await new Promise((r) => setTimeout(r, 300));
      m = await measure();
      assert.equal(m.layout, 'presentation', where);
      assert.ok(m.screenLargest, `${where}: the screen's tile is the largest`);
      // With a strip (a fifth of the stage at most, 120 px) the screen keeps the rest; on a phone, all of it.
      assert.ok(
        m.screenArea >= (phone ? 0.95 : 0.6),
        `${where}: the screen covers ${(m.screenArea * 100).toFixed(0)}%`,
      );
      assert.ok(m.screenWidth >= 0.99, `${where}: the screen has the stage's width`);
      assert.ok(
        m.bar.top >= 0 &&
          m.bar.bottom <= m.viewport.height + 0.5 &&
          m.bar.left >= 0 &&
          m.bar.right <= m.viewport.width + 0.5,
        `${where}: control bar inside (${JSON.stringify(m.bar)})`,
      );
      for (const colorScheme of ['light', 'dark'] as const) {
        await student.page.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(student.frame, `${where}, ${colorScheme}`);
      }
      await student.page.emulateMedia({ colorScheme: 'light' });
      await student.page
        .locator('iframe[name="tool-frame"]')
        .screenshot({ path: path.join(screenshotDir(), `presentation-${size.name}.png`) });
    }

    // Nobody shares: the teacher takes the large spot back, and keeps it while the classmate talks on.
    await lead.tool.getByRole('button', { name: 'Stop sharing' }).click();
    await student.tool.locator('[data-screen]').waitFor({ state: 'detached' });
    await sizeFrame(student, SIZES[0]);
    await teacherStaysLarge('after the screen is gone');
  });
});
