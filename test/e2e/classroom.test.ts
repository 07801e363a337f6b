import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { clientBuildDir } from '../../src/paths.js';
import { launchBrowser, saveScreenshot, screenshotDir } from '../support/browser.js';
import { waitUntil } from '../support/room-client.js';
import {
  assertEveryoneReceivesEveryone,
  joinClass as join,
  openSeat,
  RECORD_ROOM_STATE,
  roomStates,
  waitForFullGrid,
  writeTimeline,
  type Seat,
} from '../support/room-pages.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';

describe('classroom in the demo LMS (headless Chromium, real LiveKit, own stack per suite)', function () {
  this.timeout(180_000);
  let browser: Browser;
  const seats: Seat[] = [];
  /** The suites' own environments, whose service logs a failure saves. */
  const envs: DedicatedEnvironment[] = [];

  before(async () => {
    if (!existsSync(path.join(clientBuildDir(), 'index.html'))) {
      throw new Error(`No client build in ${clientBuildDir()}: run \`npm run build:client\` before the e2e tests.`);
    }
    browser = await launchBrowser();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const title = this.currentTest.title.slice(0, 40);
      await Promise.all(
        seats.map((s) => saveScreenshot(s.page, `classroom-failure-${title}-${s.name}`).catch(() => {})),
      );
      const env = envs[envs.length - 1];
      if (env) {
        const logs = [env.tool.process, env.stack.livekitServer?.process].map((p) => `--- ${p?.name}\n${p?.logTail()}`);
        writeFileSync(
          path.join(screenshotDir(), `classroom-failure-${title.replace(/[^\w.-]+/g, '-')}.log`),
          logs.join('\n'),
        );
      }
    }
    const done = seats.splice(0);
    await Promise.all(done.map((s) => s.context.close()));
  });
  after(() => browser?.close());

  /** A person on the course page of `env`'s demo LMS, on the pre-join page; closed after the test. */
  async function seat(env: DedicatedEnvironment, role: 'instructor' | 'student', user: string): Promise<Seat> {
    const s = await openSeat(browser, env.tool.demoUrl, role, user);
    seats.push(s);
    return s;
  }

  describe('three participants', () => {
    let env: DedicatedEnvironment;
    before(async () => {
      env = await startDedicatedEnvironment();
      envs.push(env);
    });
    after(() => env?.stop());

    it('an instructor and two students each receive both others; hand raise and leader mute reach the others', async () => {
      const teacher = await seat(env, 'instructor', 'classroom-teacher');
      const student1 = await seat(env, 'student', 'classroom-student-1');
      const student2 = await seat(env, 'student', 'classroom-student-2');
      const all = [teacher, student1, student2];
      // The instructor first: the class may not be open before a teacher is there.
      await join(teacher);
      await Promise.all([join(student1), join(student2)]);
      assert.equal(new Set(all.map((s) => s.identity)).size, 3, 'three distinct identities');

      await waitForFullGrid(all);
      await assertEveryoneReceivesEveryone(all);
      await saveScreenshot(teacher.page, 'classroom-three');

      // Student 1 raises a hand: the instructor's tile for student 1 shows it.
      await student1.tool.getByRole('button', { name: 'Raise hand' }).click();
      await student1.tool.getByRole('button', { name: 'Lower hand' }).waitFor();
      await teacher.tool.locator(`.tile[data-identity="${student1.identity}"] [data-state="hand-raised"]`).waitFor();
      assert.equal(
        await teacher.tool.locator(`.tile[data-identity="${student2.identity}"] [data-state="hand-raised"]`).count(),
        0,
        'only student 1 raised a hand',
      );

      // The instructor mutes student 2's microphone from the leader panel: student 2's control is blocked.
      await teacher.tool.getByRole('button', { name: 'Actions for Demo classroom-student-2' }).click();
      await teacher.tool.getByRole('menuitem', { name: 'Mute mic of Demo classroom-student-2' }).click();
      await student2.tool.locator('[data-control="microphone"][data-blocked="true"]').waitFor();
      assert.equal(await student1.tool.locator('[data-control="microphone"][data-blocked="true"]').count(), 0);
      await teacher.tool.locator(`.tile[data-identity="${student2.identity}"] [data-state="mic-off"]`).waitFor();
      await saveScreenshot(student2.page, 'classroom-three-student-muted');
    });
  });

  describe('an SFU crash', () => {
    let env: DedicatedEnvironment;
    before(async () => {
      env = await startDedicatedEnvironment();
      envs.push(env);
    });
    after(() => env?.stop());

    /** How long livekit-server stays down: livekit-client keeps retrying meanwhile (~44 s in all). */
    const DOWN_MS = 3000;

    it('shows "Reconnecting…" and recovers both pages, with media, after livekit-server is killed and restarted', async () => {
      const teacher = await seat(env, 'instructor', 'crash-teacher');
      const student = await seat(env, 'student', 'crash-student');
      const both = [teacher, student];
      await join(teacher);
      await join(student);
      await waitForFullGrid(both);
      await assertEveryoneReceivesEveryone(both);
      await Promise.all(both.map((s) => s.frame.evaluate(RECORD_ROOM_STATE)));
      const tokensBefore = both.map((s) => s.tokens.length);

      // SIGKILL: no leave message reaches anyone; the signalling socket closes and the media stops.
      const { killedAt, readyAt } = await env.crashLiveKit(DOWN_MS);
      const timeline = async (recoveredAt?: number) => {
        const states = await Promise.all(both.map((s) => roomStates(s).catch(() => [])));
        writeTimeline('classroom-reconnect', {
          downMs: DOWN_MS,
          restartedAfterMs: readyAt - killedAt,
          recoveredAfterMs: recoveredAt && recoveredAt - killedAt,
          seats: both.map((s, i) => ({
            name: s.name,
            states: states[i]?.map(({ at, ...t }) => ({ afterKillMs: at - killedAt, ...t })),
            tokens: s.tokens.slice(tokensBefore[i]).map(({ at, ...t }) => ({ afterKillMs: at - killedAt, ...t })),
            console: s.console.filter((c) => c.at >= killedAt).map((c) => `${c.at - killedAt} ms ${c.text}`),
          })),
        });
        return states;
      };

      try {
        for (const s of both) {
          await waitUntil(
            async () => (await s.tool.locator('main.room').getAttribute('data-connection')) === 'connected',
            60_000,
            `${s.name} connected again`,
            { retryErrors: true },
          );
        }
        await waitForFullGrid(both);
        await assertEveryoneReceivesEveryone(both);
      } finally {
        await timeline();
      }
      const states = await timeline(Date.now());
      both.forEach((s, i) => {
        const seen = states[i] ?? [];
        const shown = seen.map((t) => `${t.at - killedAt} ms: ${t.connection} "${t.banner}" end=${t.end}`).join('\n');
        // While the SFU was down (DOWN_MS after the kill) the banner said so.
        assert.ok(
          seen.some((t) => t.banner.includes('Reconnecting…') && t.at - killedAt < DOWN_MS),
          `${s.name}: the banner did not say "Reconnecting…" while the SFU was down:\n${shown}`,
        );
        assert.ok(
          seen.every((t) => t.end === null),
          `${s.name}: an end screen was shown:\n${shown}`,
        );
      });
      for (const s of both) {
        assert.equal(await s.tool.locator('main[data-end]').count(), 0);
        assert.equal(await s.tool.getByRole('heading', { name: /connection was lost/i }).count(), 0);
        assert.equal((await s.tool.locator('.banner[role="status"]').innerText()).trim(), '');
      }
    });
  });

  describe('a lost signalling connection', () => {
    let env: DedicatedEnvironment;
    before(async () => {
      env = await startDedicatedEnvironment();
      envs.push(env);
    });
    after(() => env?.stop());

    /**
     * CDP's offline emulation stops the page's HTTP and WebSocket traffic but not WebRTC's UDP (checked:
     * inbound counters kept rising for 30 s offline), so this cuts only the signalling socket. LiveKit
     * notices after its ping timeout (~15 s); livekit-client resumes once the page is online again.
     */
    it('one page offline: shows "Reconnecting…" and resumes the same session without a new join token', async () => {
      const teacher = await seat(env, 'instructor', 'offline-teacher');
      const student = await seat(env, 'student', 'offline-student');
      const both = [teacher, student];
      await join(teacher);
      await join(student);
      await waitForFullGrid(both);
      await student.frame.evaluate(RECORD_ROOM_STATE);
      const tokensBefore = student.tokens.length;

      const cdp = await student.page.context().newCDPSession(student.page);
      await cdp.send('Network.enable');
      const network = (offline: boolean) =>
        cdp.send('Network.emulateNetworkConditions', {
          offline,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: -1,
        });
      const offlineAt = Date.now();
      await network(true);
      const banner = student.tool.locator('.banner[role="status"]');
      await waitUntil(
        async () => (await banner.innerText()).includes('Reconnecting…'),
        60_000,
        'the student page to say "Reconnecting…" while offline',
        { retryErrors: true },
      );
      const onlineAt = Date.now();
      await network(false);
      await waitUntil(
        async () => (await student.tool.locator('main.room').getAttribute('data-connection')) === 'connected',
        60_000,
        'the student page to reconnect once online',
        { retryErrors: true },
      );
      const states = await roomStates(student);
      writeTimeline('classroom-signal-loss', {
        onlineAfterMs: onlineAt - offlineAt,
        states: states.map(({ at, ...t }) => ({ afterOfflineMs: at - offlineAt, ...t })),
        tokens: student.tokens.slice(tokensBefore).map(({ at, ...t }) => ({ afterOfflineMs: at - offlineAt, ...t })),
      });
      assert.ok(
        states.every((t) => t.end === null),
        `an end screen was shown: ${JSON.stringify(states)}`,
      );
      // livekit-client's resume kept the session: our rejoin (which asks for a fresh token) was not needed.
      assert.equal(student.tokens.length, tokensBefore, 'the page asked for a new join token: a rejoin, not a resume');
      await waitForFullGrid(both);
      await assertEveryoneReceivesEveryone(both);
      assert.equal((await banner.innerText()).trim(), '');
    });
  });

  describe('a short token lifetime', () => {
    let env: DedicatedEnvironment;
    before(async () => {
      env = await startDedicatedEnvironment({ ROOM_TOKEN_TTL_SECONDS: '60' });
      envs.push(env);
    });
    after(() => env?.stop());

    it('renews the join token in the background while staying connected, and media keeps flowing', async () => {
      const teacher = await seat(env, 'instructor', 'ttl-teacher');
      const student = await seat(env, 'student', 'ttl-student');
      const both = [teacher, student];
      // Each page's states are recorded from right after its join, before its first renewal (~5 s later).
      const recordingSince = new Map<Seat, number>();
      for (const s of both) {
        await join(s);
        await s.frame.evaluate(RECORD_ROOM_STATE);
        recordingSince.set(s, Date.now());
      }
      await waitForFullGrid(both);

      for (const s of both) {
        const [joinToken] = s.tokens;
        assert.ok(joinToken, `${s.name}: the join itself asked POST /api/room/token`);
        assert.equal(joinToken.status, 200);
        await waitUntil(() => joinToken.expiresAt !== undefined, 5000, 'expiresAt in the join grant');
        const lifetimeS = (Date.parse(joinToken.expiresAt as string) - joinToken.at) / 1000;
        assert.ok(
          lifetimeS > 0 && lifetimeS <= 70,
          `the tool ignored rooms.tokenTtlSeconds=60: the token lives ${lifetimeS} s`,
        );

        // The client renews ~60 s before expiry but at least 5 s after connecting: ~5 s here.
        await waitUntil(
          () => s.tokens.length >= 2,
          30_000,
          () => `${s.name}'s renewal; POST /api/room/token answers ${JSON.stringify(s.tokens)}`,
        );
        const renewal = s.tokens[1] as Seat['tokens'][number];
        assert.equal(renewal.status, 200, `${s.name}: the renewal failed`);
        assert.ok(renewal.at > (recordingSince.get(s) as number), `${s.name}: renewed before its states were recorded`);
        await waitUntil(() => renewal.expiresAt !== undefined, 5000, 'expiresAt in the renewed grant');
        assert.ok(
          Date.parse(renewal.expiresAt as string) > Date.parse(joinToken.expiresAt as string),
          'a later expiry',
        );
      }

      await assertEveryoneReceivesEveryone(both);
      for (const s of both) {
        const states = await roomStates(s);
        assert.ok(
          states.length > 0 && states.every((t) => t.connection === 'connected' && t.banner === '' && t.end === null),
          `${s.name} left the connected state around the renewal: ${JSON.stringify(states)}`,
        );
        assert.equal(await s.tool.locator('main.room').getAttribute('data-connection'), 'connected');
        assert.ok(
          s.tokens.every((t) => t.status === 200),
          `${s.name}: ${JSON.stringify(s.tokens)}`,
        );
      }
    });
  });
});
