import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * Reported but not required: the tool serves classes without it (recording). A failing optional check is
   * listed under `degraded` and leaves the answer 200.
   */
  optional?: boolean;
}

export interface HealthOptions {
  checks: readonly ReadinessCheck[];
  timeoutMs: number;
  isShuttingDown(): boolean;
}

interface CheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
  optional?: true;
}

/** /healthz: the process answers. /readyz: every dependency answers within the timeout. */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.checks.map(async (c) => ({
        ...(await runCheck(c, options.timeoutMs)),
        ...(c.optional ? { optional: true as const } : {}),
      })),
    );
    const checks = Object.fromEntries(options.checks.map((c, i) => [c.name, results[i]]));
    const failing = options.checks.filter((_c, i) => !results[i]?.ok);
    const down = failing.filter((c) => !c.optional).map((c) => c.name);
    const degraded = failing.filter((c) => c.optional).map((c) => c.name);
    if (options.isShuttingDown()) down.push('shutdown');
    res
      .status(down.length === 0 ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: down.length === 0 ? 'ok' : 'unavailable', down, degraded, checks });
  });
  return router;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // Codes and timeouts only: driver messages can carry hosts and credentials.
    const code = (err as { code?: unknown }).code;
    const error =
      typeof code === 'string' ? code : (err as Error).message.startsWith('no answer') ? 'TIMEOUT' : 'UNREACHABLE';
    return { ok: false, latencyMs: Math.round(performance.now() - started), error };
  } finally {
    clearTimeout(timer);
  }
}
