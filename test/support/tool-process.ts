import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { testEnv, type TestEnvironment } from './test-tool.js';

export interface ToolProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The tool in a process of its own on the test environment's stack and database (its own store
 * connection, caches and per-room queue): what two tool processes on one store meet, for real.
 */
export async function startToolProcess(env: TestEnvironment): Promise<ToolProcess> {
  const port = await freeTcpPort();
  const child: ChildProcess = fork(fileURLToPath(new URL('./tool-child.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ...testEnv({
        ...env.stack.toolEnv(),
        LTI_ENCRYPTION_KEY: env.config.lti.encryptionKey,
        ADMIN_API_KEY: env.config.admin.apiKey,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'error',
        DEMO_ENABLED: 'false',
      }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('no url'))));
    child.once('exit', (code) => reject(new Error(`tool process exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
