/** A tool in a child process (see tool-process.ts): config from the environment, its URL sent over IPC. */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startTool } from '../../src/main.js';

const config = loadConfig({ env: process.env });
const tool = await startTool({ config, logger: createLogger(config.log.level) });
process.send?.({ ready: tool.url });
process.on('disconnect', () => {
  void tool.stop().then(() => process.exit(0));
});
