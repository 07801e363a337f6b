import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import type { LiveKitGateway } from '../../src/livekit/gateway.js';
import { createLiveKitGateway } from '../../src/livekit/livekit-gateway.js';
import { createLogger } from '../../src/log.js';
import { startTool, type RunningTool } from '../../src/main.js';
import { clientBuildDir } from '../../src/paths.js';
import { openFirstClassAsTeacher } from './lti-launch.js';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { startStack, type Stack } from '../../src/dev/stack/stack.js';

export interface TestEnvironment {
  stack: Stack;
  tool: RunningTool;
  config: Readonly<AppConfig>;
  workDir: string;
}

let current: Promise<TestEnvironment> | undefined;
/** Tools started with config overrides, by their overrides. */
const variants = new Map<string, Promise<TestEnvironment>>();

/**
 * One real stack per test process (fresh FerretDB data dir, its own livekit-server, the tool on a free
 * port). Started on first use, stopped by the root hook in test/support/hooks.ts.
 *
 * With `overrides` (environment variables the config reads, e.g. `{ ROOM_TOKEN_TTL_SECONDS: '60' }`): a
 * tool of its own with those settings, on its own port with its own demo LMS, sharing that stack and
 * database (LiveKit's webhooks go to the default tool, which records them in the shared database, so
 * sessions and lock enforcement work for both). One per distinct `overrides`, also stopped by the root hook.
 */
export function useTestEnvironment(overrides?: Record<string, string>): Promise<TestEnvironment> {
  if (!overrides || Object.keys(overrides).length === 0) {
    current ??= startTestEnvironment();
    return current;
  }
  const key = JSON.stringify(Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)));
  let variant = variants.get(key);
  if (!variant) {
    variant = startVariant(overrides);
    variants.set(key, variant);
  }
  return variant;
}

export async function stopTestEnvironment(): Promise<void> {
  const started = [...variants.values()];
  variants.clear();
  for (const variant of started) await (await variant.catch(() => undefined))?.tool.stop();
  if (!current) return;
  const env = await current.catch(() => undefined);
  current = undefined;
  if (!env) return;
  await env.tool.stop();
  await env.stack.stop();
  if (!process.env.KEEP_TEST_DATA) rmSync(env.workDir, { recursive: true, force: true });
}

async function startTestEnvironment(): Promise<TestEnvironment> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-test-'));
  // A fixed free port rather than 0: the public URL (LTI redirect URIs, demo LMS) must be known up front.
  const port = await freeTcpPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const stack = await startStack({ workDir, webhookUrl: `${publicUrl}/hooks/livekit` });
  try {
    const config = loadConfig({ env: testEnv({ ...stack.toolEnv(), PORT: String(port), PUBLIC_URL: publicUrl }) });
    const logger = createLogger(config.log.level);
    const tool = await startTool({ config, logger, clientDir: clientBuildDir() });
    await openFirstClassAsTeacher(tool.url);
    return { stack, tool, config, workDir };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** A second tool in this process: the default environment's stack, database and secrets, plus `overrides`. */
async function startVariant(overrides: Record<string, string>): Promise<TestEnvironment> {
  const base = await useTestEnvironment();
  const port = await freeTcpPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    env: testEnv({
      ...base.stack.toolEnv(),
      ...overrides,
      // ltijs is one per process: the same database and key as the default tool.
      LTI_ENCRYPTION_KEY: base.config.lti.encryptionKey,
      ADMIN_API_KEY: base.config.admin.apiKey,
      PORT: String(port),
      PUBLIC_URL: publicUrl,
    }),
  });
  const tool = await startTool({ config, logger: createLogger(config.log.level), clientDir: clientBuildDir() });
  await openFirstClassAsTeacher(tool.url);
  return { stack: base.stack, tool, config, workDir: base.workDir };
}

/** Test configuration: config/test.json plus fresh secrets and the stack's addresses. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    LTI_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_API_KEY: randomBytes(24).toString('hex'),
    LIVEKIT_API_KEY: 'unused-in-unit-tests',
    LIVEKIT_API_SECRET: randomBytes(32).toString('hex'),
    ...extra,
  };
}

/** Our own connection to the test environment's store (tests inspect what the tool wrote). */
export function openTestDatabase(env: Pick<TestEnvironment, 'stack'>): Promise<Database> {
  return openDatabase({ uri: env.stack.mongoUri, serverSelectionTimeoutMs: 2000, logger: createLogger('silent') });
}

/** A LiveKit gateway to the test environment's SFU (tests check what the SFU itself enforces). */
export function testGateway(
  env: Pick<TestEnvironment, 'stack'>,
  apiSecret = env.stack.livekit.apiSecret,
): LiveKitGateway {
  return createLiveKitGateway({
    apiUrl: env.stack.livekit.url.replace(/^ws/, 'http'),
    apiKey: env.stack.livekit.apiKey,
    apiSecret,
    requestTimeoutMs: 5000,
  });
}
