/**
 * `npm run bench`: LTI launch latency on this machine, against the real stack (FerretDB, LiveKit, the
 * tool with the demo LMS). Sequential launches, each the full browser round trip over HTTP:
 * demo launch button -> /lti/login -> demo OIDC auth (signs the id_token) -> /lti/launch -> /api/me.
 * The tool's own share is /lti/login + /lti/launch.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { LtiBrowser, parseAutoPostForm } from '../test/support/lti-launch.js';
import { stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';

const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 250);
const WARMUP = 20;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] as number).toFixed(2));
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    n: samples.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    mean: Number(mean.toFixed(2)),
  };
}

async function oneLaunch(baseUrl: string): Promise<{ total: number; tool: number }> {
  const browser = new LtiBrowser(baseUrl);
  const t0 = performance.now();
  const start = await browser.get('/demo/platform/launch?role=student');
  const t1 = performance.now();
  const login = await browser.get(start.headers.get('location') as string);
  const t2 = performance.now();
  const auth = await browser.get(login.headers.get('location') as string);
  const form = parseAutoPostForm(await auth.text());
  const t3 = performance.now();
  const launch = await browser.postForm('/lti/launch', form.fields);
  const t4 = performance.now();
  const token = /#token=([^&]+)/.exec(launch.headers.get('location') ?? '')?.[1];
  if (launch.status !== 303 || !token) throw new Error(`launch failed: ${launch.status} ${await launch.text()}`);
  await launch.arrayBuffer();
  const me = await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${decodeURIComponent(token)}` } });
  if (!me.ok) throw new Error(`/api/me ${me.status}`);
  await me.arrayBuffer();
  const t5 = performance.now();
  return { total: t5 - t0, tool: t2 - t1 + (t4 - t3) };
}

async function main(): Promise<void> {
  // Launch latency, not the per-address login limit: a fast machine runs more than 600 launches a minute.
  const env = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: '1000000' });
  try {
    for (let i = 0; i < WARMUP; i += 1) await oneLaunch(env.tool.url);
    const totals: number[] = [];
    const tool: number[] = [];
    for (let i = 0; i < LAUNCHES; i += 1) {
      const r = await oneLaunch(env.tool.url);
      totals.push(r.total);
      tool.push(r.tool);
    }
    const result = {
      benchmark: 'lti-launch-latency',
      date: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      store: env.stack.postgres
        ? `FerretDB v1.24.2 (PostgreSQL ${env.stack.postgres.version})`
        : 'MongoDB (MONGODB_URI)',
      launches: LAUNCHES,
      warmup: WARMUP,
      unit: 'ms',
      fullRoundTrip: summary(totals),
      toolLoginPlusLaunch: summary(tool),
    };
    const file = path.join(projectRoot(), 'bench', 'results', 'launch-latency.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stopTestEnvironment();
  }
}

void main();
