/**
 * Builds the pinned livekit-server and ferretdb once (cached outside the repo) and checks the PostgreSQL
 * binaries npm installed, so test timeouts never include a Go build.
 */
import { ensureFerretDb, ensureLiveKitServer, ensurePostgres } from '../src/dev/stack/binaries.js';

const started = Date.now();
const say = (message: string): void => void process.stdout.write(`• ${message}\n`);
const [ferretdb, livekit, postgres] = await Promise.all([
  ensureFerretDb(say),
  ensureLiveKitServer(say),
  ensurePostgres(),
]);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(
  `services ready in ${seconds}s: ${livekit.path}, ${ferretdb.path}, PostgreSQL ${postgres.version} (${postgres.postgres})`,
);
