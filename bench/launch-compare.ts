/**
 * `npm run bench`: our launch side by side with a bare ltijs 5.9.9 tool, in one run, on one store.
 *
 * Both tools run as child processes on the same FerretDB/PostgreSQL server (ltijs with its own MongoDB
 * connection and database). Both are launched by a demo LMS of their own, hosted here in the bench process
 * (same code, same RS256 signing), with the same load generator; the two alternate round by round at each
 * concurrency (1, 10, 50) so that the machine's noise falls on both. One launch is the browser's whole trip:
 * LMS launch button -> tool /lti/login -> LMS OIDC auth (signs the id_token) -> tool /lti/launch -> the
 * launch's first authenticated request (ours: 303 to the launcher, then GET /api/me with its token; ltijs:
 * its 302 to the app route with the ltik, answered by onConnect).
 *
 * Also: store commands per launch and per step (driver command monitoring in each tool process), the CPU
 * time per launch of each tool's process and of the store (FerretDB + PostgreSQL) over each tool's rounds,
 * and a CPU profile of our tool during one 10-concurrent round. Writes bench/results/launch-compare.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createDemoPlatform, type DemoPlatform } from '../src/dev/demo-platform.js';
import { freeTcpPort } from '../src/dev/stack/ports.js';
import { startStack } from '../src/dev/stack/stack.js';
import { createLogger } from '../src/log.js';
import { projectRoot } from '../src/paths.js';
import { LtiBrowser, parseAutoPostForm } from '../test/support/lti-launch.js';
import { testEnv } from '../test/support/test-tool.js';
import { merge, percentile, runLoad, type Figures } from './lib/load.js';
import { storeCpuMs } from './lib/store-cpu.js';

const ALL_LEVELS = [1, 10, 50];
/** `BENCH_LEVELS=10` (or `none`: counts and step times only) for a quick look; results are then not written. */
const LEVELS = process.env.BENCH_LEVELS
  ? process.env.BENCH_LEVELS.split(',')
      .map(Number)
      .filter((n) => ALL_LEVELS.includes(n))
  : ALL_LEVELS;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Launches per round at each concurrency. */
const PER_ROUND: Record<number, number> = { 1: 40, 10: 150, 50: 250 };
const WARMUP = 20;
const COUNT_LAUNCHES = 20;

interface Child {
  proc: ChildProcess;
  url: string;
  ask(op: string): Promise<unknown>;
}

function startChild(file: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const proc = fork(path.join(projectRoot(), 'bench', 'lib', file), [], {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    proc.on('message', (msg: { ready?: string; id?: number; value?: unknown }) => {
      if (msg.ready) {
        resolve({
          proc,
          url: msg.ready,
          ask: (op) =>
            new Promise((res) => {
              nextId += 1;
              waiting.set(nextId, res);
              proc.send({ id: nextId, op });
            }),
        });
      } else if (msg.id !== undefined) waiting.get(msg.id)?.(msg.value);
    });
  });
}

function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10_000);
    child.proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.proc.disconnect();
  });
}

const withMonitoring = (uri: string, db?: string): string => {
  const u = new URL(uri);
  if (db) u.pathname = `/${db}`;
  u.searchParams.set('monitorCommands', 'true');
  return u.toString();
};

/** Milliseconds of one launch's steps: the LMS's two (button, auth) and the tool's three. */
interface Steps {
  lmsButton: number;
  toolLogin: number;
  lmsAuth: number;
  toolLaunch: number;
  toolFirstRequest: number;
}

/** One launch by a fresh browser; throws unless it ends in an authenticated answer. */
async function launch(
  kind: 'ours' | 'bare',
  toolUrl: string,
  demoBase: string,
  role = 'student',
  /** Called after each step (store commands per step); its time is not part of the step's. */
  after?: (step: keyof Steps) => Promise<void>,
): Promise<Steps> {
  const browser = new LtiBrowser(toolUrl);
  const t = [performance.now()];
  const mark = async (step: keyof Steps) => {
    if (after) await after(step);
    t.push(performance.now());
  };
  const start = await browser.get(`${demoBase}/platform/launch?role=${role}`);
  t.push(performance.now());
  if (start.status !== 302) throw new Error(`demo launch ${start.status}`);
  const login = await browser.get(start.headers.get('location') as string);
  if (login.status !== 302) throw new Error(`login ${login.status} ${await login.text()}`);
  await mark('toolLogin');
  const auth = await browser.get(login.headers.get('location') as string);
  const form = parseAutoPostForm(await auth.text());
  t.push(performance.now());
  const res = await browser.postForm(form.action, form.fields);
  const location = res.headers.get('location') ?? '';
  await res.arrayBuffer();
  await mark('toolLaunch');
  if (kind === 'ours') {
    const token = /#token=([^&]+)/.exec(location)?.[1];
    if (res.status !== 303 || !token) throw new Error(`launch ${res.status}`);
    const me = await fetch(`${toolUrl}/api/me`, { headers: { authorization: `Bearer ${decodeURIComponent(token)}` } });
    if (!me.ok) throw new Error(`/api/me ${me.status}`);
    await me.arrayBuffer();
  } else {
    if (res.status !== 302 || !location.includes('ltik=')) throw new Error(`launch ${res.status}`);
    const app = await browser.get(location);
    const body = await app.text();
    if (app.status !== 200) throw new Error(`onConnect ${app.status} ${body.slice(0, 200)}`);
  }
  await mark('toolFirstRequest');
  const d = (i: number) => (t[i + 1] as number) - (t[i] as number);
  return { lmsButton: d(0), toolLogin: d(1), lmsAuth: d(2), toolLaunch: d(3), toolFirstRequest: d(4) };
}

/** The median of each step over sequential launches. */
function stepMedians(all: Steps[]): Record<keyof Steps, number> {
  const keys = ['lmsButton', 'toolLogin', 'lmsAuth', 'toolLaunch', 'toolFirstRequest'] as const;
  const out = {} as Record<keyof Steps, number>;
  for (const k of keys)
    out[k] = percentile(
      all.map((s) => s[k]).sort((a, b) => a - b),
      50,
    );
  return out;
}

/** A demo LMS hosted by the bench at `${base}/demo`, pointed at `toolUrl`'s LTI endpoints. */
async function demoFor(server: express.Express, base: string, prefix: string, toolUrl: string) {
  const demo: DemoPlatform = await createDemoPlatform({
    publicUrl: `${base}${prefix}`,
    tool: { loginUrl: `${toolUrl}/lti/login`, launchUrl: `${toolUrl}/lti/launch`, jwksUrl: `${toolUrl}/lti/keys` },
    logger: createLogger('warn'),
  });
  server.use(`${prefix}/demo`, demo.router);
  return { demo, demoBase: `${base}${prefix}/demo` };
}

async function registerWithOurs(toolUrl: string, adminKey: string, demo: DemoPlatform): Promise<void> {
  const r = demo.registration;
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${toolUrl}/api/admin/platforms`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      issuer: r.issuer,
      clientId: r.clientId,
      name: r.name,
      authLoginUrl: r.authLoginUrl,
      accessTokenUrl: r.accessTokenUrl,
      jwksUrl: r.jwksUrl,
      deploymentIds: [r.deploymentId],
    }),
  });
  const body = (await created.json()) as { id?: string; platform?: { id: string } };
  const id = body.platform?.id ?? body.id;
  if (!created.ok || !id) throw new Error(`platform registration: ${created.status} ${JSON.stringify(body)}`);
  const activated = await fetch(`${toolUrl}/api/admin/platforms/${id}/activate`, { method: 'POST', headers });
  if (!activated.ok) throw new Error(`activate: ${activated.status} ${await activated.text()}`);
}

interface Counts {
  commands: number;
  byName: Record<string, number>;
  byCollection: Record<string, number>;
}

/** What `after` added to `before`, per launch, rounded; zeros left out. */
function perLaunch(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(after)) {
    const d = (n - (before[name] ?? 0)) / COUNT_LAUNCHES;
    if (d > 0) out[name] = Number(d.toFixed(2));
  }
  return out;
}

/**
 * Store commands of COUNT_LAUNCHES sequential launches: in all, by command, and per tool step by command and
 * collection (counted when the step's answer arrived; a write the tool finishes after answering counts
 * towards the next step).
 */
async function commandsPerLaunch(child: Child, run: (after: (step: keyof Steps) => Promise<void>) => Promise<unknown>) {
  const count = async () => (await child.ask('count')) as Counts;
  const before = await count();
  const perStep: Partial<Record<keyof Steps, Record<string, number>>> = {};
  const stepTotals: Record<string, Record<string, number>> = {};
  for (let i = 0; i < COUNT_LAUNCHES; i += 1) {
    let last = await count();
    await run(async (step) => {
      const now = await count();
      const totals = (stepTotals[step] ??= {});
      for (const [key, n] of Object.entries(now.byCollection))
        totals[key] = (totals[key] ?? 0) + n - (last.byCollection[key] ?? 0);
      last = now;
    });
  }
  const after = await count();
  for (const [step, totals] of Object.entries(stepTotals)) perStep[step as keyof Steps] = perLaunch({}, totals);
  return {
    perLaunch: Number(((after.commands - before.commands) / COUNT_LAUNCHES).toFixed(2)),
    byName: perLaunch(before.byName, after.byName),
    perStep,
  };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-bench-'));
  const [toolPort, barePort] = [await freeTcpPort(), await freeTcpPort()];
  const toolUrl = `http://127.0.0.1:${toolPort}`;
  const stack = await startStack({ workDir, webhookUrl: `${toolUrl}/hooks/livekit` });
  const server = express();
  const listener = server.listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  let ours: Child | undefined;
  let bare: Child | undefined;
  try {
    const adminKey = randomBytes(24).toString('hex');
    const mongoUri = stack.toolEnv().MONGODB_URI as string;
    const oursEnv = testEnv({
      ...stack.toolEnv(),
      MONGODB_URI: withMonitoring(mongoUri),
      PORT: String(toolPort),
      PUBLIC_URL: toolUrl,
      ADMIN_API_KEY: adminKey,
      // Launch throughput, not the per-address login limit (every bench client is 127.0.0.1).
      LTI_LOGIN_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'warn',
    });
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const forOurs = await demoFor(server, base, '/ours', toolUrl);
    const forBare = await demoFor(server, base, '/bare', bareUrl);
    const started = await Promise.all([
      startChild('our-tool-process.ts', oursEnv),
      startChild('bare-ltijs-process.ts', {
        ...process.env,
        BARE_PORT: String(barePort),
        BARE_MONGO_URI: withMonitoring(mongoUri, 'bare_ltijs'),
        BARE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        BARE_PLATFORM: JSON.stringify(forBare.demo.registration),
      }),
    ]);
    [ours, bare] = started;
    await registerWithOurs(toolUrl, adminKey, forOurs.demo);
    const steps: { ours: Steps[]; bare: Steps[] } = { ours: [], bare: [] };
    const runOurs = async () => void steps.ours.push(await launch('ours', toolUrl, forOurs.demoBase));
    const runBare = async () => void steps.bare.push(await launch('bare', bareUrl, forBare.demoBase));
    await launch('ours', toolUrl, forOurs.demoBase, 'instructor');
    for (let i = 0; i < WARMUP; i += 1) {
      await runOurs();
      await runBare();
    }

    const storeCommands = {
      ours: await commandsPerLaunch(ours, (after) => launch('ours', toolUrl, forOurs.demoBase, 'student', after)),
      bare: await commandsPerLaunch(bare, (after) => launch('bare', bareUrl, forBare.demoBase, 'student', after)),
    };
    console.log('store commands per launch', JSON.stringify(storeCommands));

    const levels: Record<string, unknown> = {};
    let profile: unknown;
    let sequentialSteps: unknown;
    for (const c of LEVELS) {
      steps.ours = [];
      steps.bare = [];
      const rounds: { ours: Figures[]; bare: Figures[] } = { ours: [], bare: [] };
      /** CPU time of each tool's process over its rounds (not the profiled one), and its launches then. */
      const cpu = {
        ours: { ms: 0, store: 0, bench: 0, launches: 0 },
        bare: { ms: 0, store: 0, bench: 0, launches: 0 },
      };
      for (let r = 0; r < ROUNDS; r += 1) {
        // Alternate which tool goes first, so neither always runs on a machine the other just warmed.
        const order = r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
        for (const kind of order) {
          const profiling = kind === 'ours' && c === 10 && r === 0;
          const child = kind === 'ours' ? ours : bare;
          if (profiling) await ours.ask('profile-start');
          const cpuBefore = (await child.ask('cpu')) as NodeJS.CpuUsage;
          const storeBefore = storeCpuMs(workDir) ?? Number.NaN;
          const benchBefore = process.cpuUsage();
          const figures = await runLoad(PER_ROUND[c] as number, c, kind === 'ours' ? runOurs : runBare);
          const benchUsed = process.cpuUsage(benchBefore);
          const storeAfter = storeCpuMs(workDir) ?? Number.NaN;
          const cpuAfter = (await child.ask('cpu')) as NodeJS.CpuUsage;
          if (profiling) profile = await ours.ask('profile-stop');
          else {
            cpu[kind].ms += (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
            cpu[kind].store += storeAfter - storeBefore;
            cpu[kind].bench += (benchUsed.user + benchUsed.system) / 1000;
            cpu[kind].launches += figures.launches - figures.errors;
          }
          rounds[kind].push(figures);
          console.log(`c=${c} round ${r + 1} ${kind}: ${JSON.stringify(figures)}`);
        }
      }
      if (c === 1) sequentialSteps = { ours: stepMedians(steps.ours), bareLtijs: stepMedians(steps.bare) };
      const o = merge(rounds.ours);
      const b = merge(rounds.bare);
      levels[String(c)] = {
        ours: o,
        bareLtijs: b,
        ratio: {
          launchesPerSecond: Number((o.perSecond / b.perSecond).toFixed(2)),
          p50: Number((o.p50 / b.p50).toFixed(2)),
          p99: Number((o.p99 / b.p99).toFixed(2)),
        },
        processCpuMsPerLaunch: {
          ours: Number((cpu.ours.ms / cpu.ours.launches).toFixed(2)),
          bareLtijs: Number((cpu.bare.ms / cpu.bare.launches).toFixed(2)),
        },
        // FerretDB + PostgreSQL over each tool's rounds: the store's share of a launch (NaN off Linux).
        storeCpuMsPerLaunch: {
          ours: Number((cpu.ours.store / cpu.ours.launches).toFixed(2)),
          bareLtijs: Number((cpu.bare.store / cpu.bare.launches).toFixed(2)),
        },
        // This process: the demo LMS (its RS256 signing) and the browsers, the same work for both tools.
        benchCpuMsPerLaunch: {
          ours: Number((cpu.ours.bench / cpu.ours.launches).toFixed(2)),
          bareLtijs: Number((cpu.bare.bench / cpu.bare.launches).toFixed(2)),
        },
        roundsOurs: rounds.ours,
        roundsBare: rounds.bare,
      };
    }
    const at10 = levels['10'] as { ratio: { launchesPerSecond: number; p99: number } } | undefined;
    const at50 = levels['50'] as { ours: Figures } | undefined;
    const result = {
      benchmark: 'lti-launch-vs-bare-ltijs',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      store: stack.postgres ? `FerretDB v1.24.2 (PostgreSQL ${stack.postgres.version})` : 'MongoDB (MONGODB_URI)',
      launch:
        'demo LMS button -> /lti/login -> LMS auth (RS256 id_token) -> /lti/launch -> first authenticated request',
      rounds: ROUNDS,
      launchesPerRound: PER_ROUND,
      merge: 'launches/s over all rounds; p50/p90/p99 the median of the rounds',
      levels,
      target: {
        at10: '>= 1.5x bare launches/s and p99 <= 0.5x bare',
        at10Met: at10 ? at10.ratio.launchesPerSecond >= 1.5 && at10.ratio.p99 <= 0.5 : undefined,
        at50: '0 errors',
        at50Met: at50 ? at50.ours.errors === 0 : undefined,
      },
      storeCommandsPerLaunch: storeCommands,
      stepMediansAt1Ms: sequentialSteps,
      cpuProfileOursAt10: profile,
    };
    const file = path.join(projectRoot(), 'bench', 'results', 'launch-compare.json');
    if (LEVELS.length === ALL_LEVELS.length) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    else
      console.log(
        JSON.stringify(
          { storeCommandsPerLaunch: storeCommands, stepMediansAt1Ms: sequentialSteps, cpuProfileOursAt10: profile },
          null,
          2,
        ),
      );
    console.log(JSON.stringify({ levels: result.levels, target: result.target }, null, 2));
  } finally {
    await Promise.all([stopChild(ours), stopChild(bare)]);
    listener.close();
    await stack.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
