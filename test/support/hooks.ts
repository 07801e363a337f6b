import { stopTestEnvironment } from './test-tool.js';

/** Mocha root hooks: whatever a suite started is stopped once, after every file has run. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestEnvironment();
  },
};
