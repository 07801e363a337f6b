/**
 * Our tool as a benchmarked child process: the configuration comes from the environment the parent sets
 * (the stack's addresses, secrets, PORT, PUBLIC_URL); it tells the parent its URL over IPC when it listens.
 * The expiry cleanup runs at the production interval (config/default.json), not the test config's 5 s,
 * which would put a pass of deletes into every few rounds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startTool } from '../../src/main.js';
import { clientBuildDir, configDir } from '../../src/paths.js';
import { installProbe } from './child-probe.js';

const defaults = JSON.parse(readFileSync(path.join(configDir(), 'default.json'), 'utf8')) as {
  cleanup: { intervalMs: number };
};

installProbe();
const testConfig = loadConfig({ env: process.env });
const config = { ...testConfig, cleanup: { ...testConfig.cleanup, intervalMs: defaults.cleanup.intervalMs } };
const tool = await startTool({ config, logger: createLogger('warn'), clientDir: clientBuildDir() });
process.send?.({ ready: tool.url });
process.on('disconnect', () => {
  void tool.stop().then(() => process.exit(0));
});
