/**
 * `npm run bench`: a lecture on one SFU. A teacher (a native @livekit/rtc-node participant) publishes
 * camera and microphone in a webinar-style activity, where students listen until promoted. AUDIENCE
 * students are launched through the demo LMS and ask the tool for their join token; each then joins as a
 * livekit-client Room in headless Chromium, PER_PAGE Rooms to a page (bench/lib/lecture-audience), a real
 * WebRTC subscriber of every microphone. Measured and written to bench/results/lecture.json:
 * - that the audience joins as audience: no listener's token or SFU permission lets it publish, and a
 *   publish is turned away (by the client for a listener, by the SFU for the student promoted later);
 * - the audience's join times, connect() to the teacher's microphone subscribed, in the page;
 * - the SFU's CPU and memory with the teacher alone and with the audience, and per listener;
 * - the class session the webhooks built (everyone present);
 * - a promoted student: the teacher promotes them, they publish a microphone, and how soon every listener
 *   has it subscribed and bytes of it arrive.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import * as prettier from 'prettier';
import { createRoomStore } from '../src/db/room-store.js';
import { projectRoot } from '../src/paths.js';
import { runBench } from './lib/run.js';
import { servePage } from './lib/static-page.js';
import { percentile, runLoad } from './lib/load.js';
import { inPage, launchBrowser } from '../test/support/browser.js';
import { LaunchedUser, TestParticipant, videoGrant, type Grant } from '../test/support/room-client.js';
import { openTestDatabase, stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';

const AUDIENCE = Number(process.env.BENCH_LECTURE_AUDIENCE ?? 300);
/** Rooms per page (Chromium caps one page's peer connections at a few hundred; two pages of 150 hold 300). */
const PER_PAGE = Number(process.env.BENCH_LECTURE_PER_PAGE ?? 150);
/** Joins under way at once in each page. */
const PAGE_CONCURRENCY = Number(process.env.BENCH_LECTURE_PAGE_CONCURRENCY ?? 5);
const HEAR_TIMEOUT_MS = 60_000;
const STEADY_MS = 10_000;
/** How long the listeners get to subscribe to a promoted student's microphone. */
const PROMOTION_WAIT_MS = 60_000;

const sfuPid = (workDir: string): number => {
  const out = execFileSync('pgrep', ['-f', `livekit-server.*${workDir}`], { encoding: 'utf8' }).trim();
  return Number(out.split('\n')[0]);
};
/** CPU seconds (user + system) and resident memory of a process, from /proc. */
const usage = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuSeconds: ticks / 100, rssMb: (rssPages * 4096) / 1024 / 1024 };
};
/** The SFU's CPU share (percent of one core) and memory over `ms` of a steady room. */
async function steady(pid: number, ms: number) {
  const before = usage(pid);
  await new Promise((r) => setTimeout(r, ms));
  const after = usage(pid);
  return { cpuPercentOfOneCore: ((after.cpuSeconds - before.cpuSeconds) / (ms / 1000)) * 100, rssMb: after.rssMb };
}

const round1 = (n: number) => Number(n.toFixed(1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openAudiencePages(browser: Browser, url: string, count: number): Promise<Page[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.waitForFunction(inPage('window.ready === true'));
      return page;
    }),
  );
}

async function main(): Promise<void> {
  const env = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: '1000000', ROOM_REQUEST_RATE_LIMIT: '100000' });
  let browser: Browser | undefined;
  let audiencePage: Awaited<ReturnType<typeof servePage>> | undefined;
  const participants: TestParticipant[] = [];
  try {
    browser = await launchBrowser();
    audiencePage = await servePage(
      fileURLToPath(new URL('./lib/lecture-audience/', import.meta.url)),
      path.join(env.workDir, 'lecture-audience'),
    );
    const base = env.tool.url;
    const id = await LaunchedUser.createActivity(base, {
      title: 'Lecture',
      publishers: 'instructors',
      maxParticipants: AUDIENCE + 20,
    });
    const teacher = await LaunchedUser.launch(base, 'instructor', id);
    const teacherGrant = await teacher.joinGrant();
    const lead = await TestParticipant.connect(teacherGrant);
    participants.push(lead);
    await lead.publishMicrophone();
    await lead.publishCamera();
    const pid = sfuPid(env.workDir);
    const alone = await steady(pid, STEADY_MS / 2);

    // Launched through the demo LMS (the whole OIDC trip), then each asks the tool for its join token.
    const launchStarted = performance.now();
    const students: LaunchedUser[] = [];
    const launching = await runLoad(AUDIENCE + 1, 8, async () => {
      students.push(await LaunchedUser.launch(base, 'student', id, `lecture-${process.pid}-${students.length}`));
    });
    if (launching.errors > 0) throw new Error(`launches failed: ${launching.firstError}`);
    const launchSeconds = (performance.now() - launchStarted) / 1000;
    console.log(`${AUDIENCE + 1} students launched in ${round1(launchSeconds)} s`);
    const speakerUser = students.pop() as LaunchedUser;
    const tokenMs: number[] = [];
    const grants: Grant[] = [];
    let nextStudent = 0;
    const granting = await runLoad(AUDIENCE, 10, async () => {
      const student = students[nextStudent++] as LaunchedUser;
      const t = performance.now();
      const grant = await student.joinGrant();
      tokenMs.push(performance.now() - t);
      grants.push(grant);
    });
    if (granting.errors > 0) throw new Error(`tokens failed: ${granting.firstError}`);
    console.log(`${grants.length} join tokens from the tool`);
    const publishingTokens = grants.filter((g) => videoGrant(g.token).canPublish !== false).length;

    // The audience, PER_PAGE Rooms to a page, every page joining at once.
    const pages = await openAudiencePages(browser, audiencePage.url, Math.ceil(AUDIENCE / PER_PAGE));
    const joinStarted = performance.now();
    const joins = (
      await Promise.all(
        pages.map(
          (page, i) =>
            page.evaluate(
              `window.joinAudience(${JSON.stringify(grants.slice(i * PER_PAGE, (i + 1) * PER_PAGE))}, ${JSON.stringify(
                teacherGrant.identity,
              )}, ${JSON.stringify({ concurrency: PAGE_CONCURRENCY, timeoutMs: HEAR_TIMEOUT_MS })})`,
            ) as Promise<Array<{ identity: string; ms?: number; error?: string; attempts: number }>>,
        ),
      )
    ).flat();
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    console.log(`the audience joined in ${round1(joinSeconds)} s`);
    const joined = joins.filter((j) => j.ms !== undefined).map((j) => j.ms as number);
    const failed = joins.filter((j) => j.error);
    const retried = joins.filter((j) => j.ms !== undefined && j.attempts > 1).length;
    joined.sort((a, b) => a - b);
    const permissions = await Promise.all(pages.map((page) => page.evaluate('window.audiencePermissions()')));
    const withAudience = await steady(pid, STEADY_MS);

    // The class session as the webhooks built it: everyone present, the teacher included.
    const db = await openTestDatabase(env);
    const store = createRoomStore(db.connection);
    const deadline = Date.now() + 30_000;
    let present = 0;
    while (Date.now() < deadline) {
      present = (await store.currentClassSession(teacherGrant.room))?.present.length ?? 0;
      if (present >= joined.length + 1) break;
      await sleep(500);
    }
    await db.close();

    // A student joins as audience, is turned away publishing, is promoted, and speaks to everyone.
    const speakerGrant = await speakerUser.joinGrant();
    const speaker = await TestParticipant.connect(speakerGrant);
    participants.push(speaker);
    const refusedBeforePromotion = await speaker.publishMicrophone().then(
      () => false,
      () => true,
    );
    const promote = await teacher.request('POST', `/room/participants/${speakerGrant.identity}/promote`);
    if (promote.status !== 204) throw new Error(`promote: ${promote.status} ${await promote.text()}`);
    // Each page's own clock at the promotion: the listeners' times are read against it.
    const promotedAt = performance.now();
    const pageClocks = (await Promise.all(pages.map((page) => page.evaluate('performance.now()')))) as number[];
    await speaker.publishMicrophone({ tone: true });
    /** Milliseconds from the promotion to each listener having the promoted microphone subscribed. */
    const heardAfter = async () =>
      (
        await Promise.all(
          pages.map(
            (page) => page.evaluate(`window.heardFrom(${JSON.stringify(speakerGrant.identity)})`) as Promise<number[]>,
          ),
        )
      ).flatMap((times, i) => times.map((t) => t - (pageClocks[i] as number)));
    const dropped = async () =>
      (await Promise.all(pages.map((page) => page.evaluate('window.dropped()')))).reduce(
        (sum: number, n) => sum + (n as number),
        0,
      );
    let heard: number[] = [];
    let stillConnected = joined.length;
    while (performance.now() - promotedAt < PROMOTION_WAIT_MS) {
      heard = await heardAfter();
      stillConnected = joined.length - (await dropped());
      if (heard.length >= stillConnected) break;
      await sleep(250);
    }
    heard.sort((a, b) => a - b);
    const bytes = () =>
      Promise.all(
        pages.map(
          (page) => page.evaluate(`window.bytesFrom(${JSON.stringify(speakerGrant.identity)}, 5)`) as Promise<number[]>,
        ),
      ).then((all) => all.flat());
    const bytesBefore = await bytes();
    await sleep(2000);
    const bytesAfter = await bytes();
    const rising = bytesAfter.filter((b, i) => b > (bytesBefore[i] ?? 0)).length;
    await Promise.all(pages.map((page) => page.evaluate('window.leaveAll()').catch(() => undefined)));

    const perListener = (a: number, b: number) => round1((b - a) / Math.max(1, joined.length));
    const result = {
      benchmark: 'lecture-audience-on-one-sfu',
      label: process.env.BENCH_LABEL,
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load: os.loadavg().map((n) => Number(n.toFixed(2))), node: process.version },
      audience: AUDIENCE,
      audienceClient: `livekit-client Rooms in headless Chromium, ${PER_PAGE} to a page, ${PAGE_CONCURRENCY} joining at once in each page; each subscribes to every microphone, none to a camera`,
      publisher: '@livekit/rtc-node teacher: 320x240 camera and a microphone',
      launches: { count: AUDIENCE + 1, seconds: round1(launchSeconds) },
      tokens: {
        p50Ms: round1(
          percentile(
            tokenMs.sort((a, b) => a - b),
            50,
          ),
        ),
        p99Ms: round1(percentile(tokenMs, 99)),
      },
      audienceJoin: {
        joined: joined.length,
        failed: failed.length,
        // Joined at the second try (a new Room after the first failed, as the launcher rejoins).
        retried,
        firstError: failed[0]?.error,
        seconds: round1(joinSeconds),
        perMinute: Math.round((joined.length / joinSeconds) * 60),
        // connect() -> the teacher's microphone subscribed, in the page, while the others join too.
        p50Ms: round1(percentile(joined, 50)),
        p90Ms: round1(percentile(joined, 90)),
        p99Ms: round1(percentile(joined, 99)),
        maxMs: round1(joined[joined.length - 1] ?? Number.NaN),
      },
      asAudience: {
        tokensThatMayPublish: publishingTokens,
        sfuPermissionsThatMayPublish: permissions.reduce(
          (n: number, p) => n + (p as { canPublish: number }).canPublish,
          0,
        ),
        listenerPublishRefused: permissions.every((p) => (p as { publishRefused: boolean }).publishRefused),
        studentPublishRefusedBeforePromotion: refusedBeforePromotion,
      },
      sessionPresent: present,
      sfu: {
        teacherAlone: { cpuPercentOfOneCore: round1(alone.cpuPercentOfOneCore), rssMb: round1(alone.rssMb) },
        withAudience: {
          cpuPercentOfOneCore: round1(withAudience.cpuPercentOfOneCore),
          rssMb: round1(withAudience.rssMb),
        },
        perListener: {
          cpuPercentOfOneCore: Number(
            ((withAudience.cpuPercentOfOneCore - alone.cpuPercentOfOneCore) / Math.max(1, joined.length)).toFixed(3),
          ),
          rssMb: perListener(alone.rssMb, withAudience.rssMb),
        },
      },
      // Listeners whose connection ended after they had joined (the SFU or the page gave up on it).
      droppedAfterJoining: joined.length - stillConnected,
      promoted: {
        heardBy: heard.length,
        of: stillConnected,
        waitedMs: PROMOTION_WAIT_MS,
        // The promotion answered -> the promoted microphone subscribed, per listener.
        heardAfterPromotionP50Ms: round1(percentile(heard, 50)),
        heardAfterPromotionMaxMs: round1(heard[heard.length - 1] ?? Number.NaN),
        bytesRisingInSample: `${rising} of ${bytesAfter.length}`,
      },
    };
    const file = path.join(projectRoot(), 'bench', 'results', 'lecture.json');
    // As prettier --check wants it.
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    writeFileSync(file, await prettier.format(JSON.stringify(result, null, 2), options));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await Promise.all(participants.map((p) => p.disconnect().catch(() => undefined)));
    audiencePage?.close();
    await browser?.close();
    await stopTestEnvironment();
  }
}

// The native SDK's handles keep the process alive after the room is left: exit once done.
runBench(main);
