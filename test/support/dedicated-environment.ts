import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { openFirstClassAsTeacher } from './lti-launch.js';
import { startProcess, type ManagedProcess } from '../../src/dev/stack/child-process.js';
import { killLiveKit, restartLiveKit } from '../../src/dev/stack/livekit.js';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { startStack, type Stack } from '../../src/dev/stack/stack.js';
import { testEnv } from './test-tool.js';

export interface DedicatedEnvironment {
  stack: Stack;
  /** The tool's own process (src/main.ts under tsx), its base URL and its demo LMS course page. */
  tool: { url: string; demoUrl: string; process: ManagedProcess };
  workDir: string;
  /**
   * SIGKILLs this environment's livekit-server, waits `downMs`, and starts it again on the same ports with
   * the same keys. Resolves with the times (Date.now()) of the kill and of the restarted server's readiness.
   */
  crashLiveKit(downMs?: number): Promise<{ killedAt: number; readyAt: number }>;
  /**
   * Stops the tool's process (SIGTERM, as a deploy would), waits `downMs`, and starts a new one with the same
   * settings and secrets on the same store, SFU and port. Webhooks sent meanwhile are lost, as they would be.
   */
  restartTool(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A stack and a tool of a test's own: its own FerretDB data, livekit-server and tool, for tests that
 * disturb the services or need other settings (`extraEnv`, e.g. ROOM_TOKEN_TTL_SECONDS) without
 * affecting the shared environment of useTestEnvironment(). The tool runs as a child process because
 * ltijs is a process-wide singleton bound to the first tool's database. The caller stops it.
 */
export async function startDedicatedEnvironment(
  extraEnv: Record<string, string> = {},
  options: { recording?: 'required'; storage?: 'local' | 's3' } = {},
): Promise<DedicatedEnvironment> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-dedicated-'));
  const port = await freeTcpPort();
  const url = `http://127.0.0.1:${port}`;
  // env: {} so an external LIVEKIT_URL / MONGODB_URI is never shared: this stack is ours to break.
  const stack = await startStack({
    workDir,
    env: {},
    webhookUrl: `${url}/hooks/livekit`,
    recording: options.recording ?? 'off',
    storage: options.storage ?? 'local',
  });
  // Once: a restarted tool needs the same LTI encryption key to read what the first one stored.
  const toolEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...testEnv({ ...stack.toolEnv(), HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, ...extraEnv }),
  };
  let starts = 0;
  const startTool = () =>
    startProcess({
      name: 'tool',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(projectRoot(), 'src', 'main.ts')],
      cwd: projectRoot(),
      env: toolEnv,
      logFile: path.join(workDir, starts++ === 0 ? 'tool.log' : `tool-${starts}.log`),
      readyTimeoutMs: 60_000,
      ready: async () => (await fetch(`${url}/readyz`)).ok,
    });
  let tool: ManagedProcess;
  try {
    tool = await startTool();
  } catch (err) {
    await stack.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  try {
    await openFirstClassAsTeacher(url);
  } catch (err) {
    await tool.stop();
    await stack.stop();
    throw err;
  }
  const env: DedicatedEnvironment = {
    stack,
    tool: { url, demoUrl: `${url}/demo`, process: tool },
    workDir,
    async restartTool(downMs = 0) {
      await tool.stop(); // a no-op when the test stopped it already
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      tool = await startTool();
      env.tool.process = tool;
    },
    async crashLiveKit(downMs = 0) {
      const running = stack.livekitServer;
      if (!running) throw new Error('this environment did not start livekit-server itself');
      const killedAt = Date.now();
      await killLiveKit(running);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      // stack.stop() reads this field, so the restarted server is the one stopped at the end.
      stack.livekitServer = await restartLiveKit(running);
      return { killedAt, readyAt: Date.now() };
    },
    async stop() {
      await tool.stop();
      await stack.stop();
      if (!process.env.KEEP_TEST_DATA) rmSync(workDir, { recursive: true, force: true });
    },
  };
  return env;
}
