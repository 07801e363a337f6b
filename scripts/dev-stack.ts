/**
 * `npm start`: PostgreSQL + FerretDB + livekit-server + the tool on this machine, data kept in ./data across
 * runs.
 * Ctrl-C drains the tool, then stops the services it started.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startTool, stopOnSignals } from '../src/main.js';
import { clientBuildDir, projectRoot } from '../src/paths.js';
import { moveAsideSqliteStore } from '../src/dev/stack/legacy-store.js';
import { isTcpPortInUse } from '../src/dev/stack/ports.js';
import { startStack } from '../src/dev/stack/stack.js';

interface DevSecrets {
  livekitApiKey: string;
  livekitApiSecret: string;
  ltiEncryptionKey: string;
  adminApiKey: string;
}

/** Generated once and kept: ltijs encrypts its keys with the encryption key, so it must survive restarts. */
function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    livekitApiKey: `dev${randomBytes(6).toString('hex')}`,
    livekitApiSecret: randomBytes(32).toString('hex'),
    ltiEncryptionKey: randomBytes(32).toString('hex'),
    adminApiKey: randomBytes(24).toString('hex'),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) fail(`${name} must be a TCP port number`);
  return value;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`\nnpm start: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.LIVECLASS_DATA_DIR ?? path.join(projectRoot(), 'data'));
  mkdirSync(dataDir, { recursive: true });
  const secrets = devSecrets(dataDir);
  const toolPort = port('PORT', 3000);
  const livekitPort = port('LIVEKIT_PORT', 7880);
  const ferretDbPort = port('FERRETDB_PORT', 27027);
  for (const [name, value] of [
    ['PORT', toolPort],
    ['LIVEKIT_PORT', livekitPort],
    ['FERRETDB_PORT', ferretDbPort],
  ] as const) {
    if (await isTcpPortInUse(value)) {
      fail(`port ${value} is in use (another \`npm start\` still running?). Stop it or set ${name}.`);
    }
  }

  const say = (message: string): void => void process.stdout.write(`• ${message}\n`);
  if (!process.env.MONGODB_URI) {
    // After the port checks: an earlier version still running would still be using these files.
    const moved = moveAsideSqliteStore(dataDir);
    if (moved) say(`the embedded store has moved to PostgreSQL\n\n${moved.replace(/^/gm, '  ')}\n`);
  }
  say('starting the store (FerretDB on PostgreSQL) and LiveKit');
  const stack = await startStack({
    workDir: dataDir,
    livekitPort,
    ferretDbPort,
    livekitKey: { apiKey: secrets.livekitApiKey, apiSecret: secrets.livekitApiSecret },
    webhookUrl: `http://127.0.0.1:${toolPort}/hooks/livekit`,
    recording: recordingMode(process.env.LIVECLASS_RECORDING),
    progress: say,
  }).catch((err: unknown) => fail(String(err instanceof Error ? err.message : err)));
  say(
    stack.recording.enabled
      ? `recording: on (LiveKit Egress; files in ${stack.recording.outputDir})`
      : `recording: off, ${stack.recording.reason} (LIVECLASS_RECORDING=auto|required|off)`,
  );

  const env: NodeJS.ProcessEnv = {
    LIVEKIT_API_KEY: secrets.livekitApiKey,
    LIVEKIT_API_SECRET: secrets.livekitApiSecret,
    LTI_ENCRYPTION_KEY: secrets.ltiEncryptionKey,
    ADMIN_API_KEY: secrets.adminApiKey,
    PUBLIC_URL: `http://127.0.0.1:${toolPort}`,
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    PORT: String(toolPort),
    ...stack.toolEnv(),
  };
  let config;
  try {
    config = loadConfig({ env });
  } catch (err) {
    await stack.stop();
    if (err instanceof ConfigError) fail(err.message, 78);
    throw err;
  }
  const logger = createLogger(config.log.level);
  const tool = await startTool({ config, logger, clientDir: clientBuildDir() }).catch(async (err: unknown) => {
    await stack.stop();
    fail(`the tool failed to start: ${err instanceof Error ? err.message : String(err)}`);
  });
  stopOnSignals(async () => {
    await tool.stop();
    await stack.stop();
  }, logger);

  process.stdout.write(
    [
      '',
      `  Live class tool is running at  ${tool.url}/`,
      ...(tool.demoUrl ? [`  Demo LMS (launch from here):   ${tool.demoUrl}`] : []),
      `  Readiness:                     ${tool.url}/readyz`,
      `  LiveKit:                       ${stack.livekit.url}`,
      ...(stack.ferretdb && stack.postgres
        ? [`  Store:                         ${stack.mongoUri} (FerretDB on PostgreSQL ${stack.postgres.version})`]
        : []),
      `  Data and logs:                 ${dataDir}`,
      `  Admin API key:                 in ${path.join(dataDir, 'dev-secrets.json')}`,
      '',
      '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

void main();

function recordingMode(value: string | undefined): 'auto' | 'required' | 'off' {
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'required' || value === 'off') return value;
  return fail(`LIVECLASS_RECORDING must be auto, required or off (got "${value}")`, 78);
}
