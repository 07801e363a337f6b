/**
 * Our tool as a benchmarked child process: the configuration comes from the environment the parent sets
 * (the stack's addresses, secrets, PORT, PUBLIC_URL); it tells the parent its URL over IPC when it listens.
 */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startTool } from '../../src/main.js';
import { clientBuildDir } from '../../src/paths.js';
import { installProbe } from './child-probe.js';

installProbe();
const config = loadConfig({ env: process.env });
const tool = await startTool({ config, logger: createLogger('warn'), clientDir: clientBuildDir() });
process.send?.({ ready: tool.url });
process.on('disconnect', () => {
  void tool.stop().then(() => process.exit(0));
});
