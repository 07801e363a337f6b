/**
 * Builds the pinned livekit-server, ferretdb, gofakes3 (an S3-compatible server) and (when GStreamer and
 * Redis are installed) LiveKit Egress once, cached outside the repo, and checks the PostgreSQL binaries npm installed, so test timeouts never
 * include a Go build.
 */
import { ensureFerretDb, ensureLiveKitServer, ensurePostgres } from '../src/dev/stack/binaries.js';
import { ensureEgress, recordingUnavailable } from '../src/dev/stack/recorder-binaries.js';
import { ensureFakeS3 } from '../src/dev/stack/s3.js';

const started = Date.now();
const say = (message: string): void => void process.stdout.write(`• ${message}\n`);
const noRecording = await recordingUnavailable();
const [ferretdb, livekit, postgres, egress, s3] = await Promise.all([
  ensureFerretDb(say),
  ensureLiveKitServer(say),
  ensurePostgres(),
  noRecording ? Promise.resolve(undefined) : ensureEgress(say),
  // The S3-compatible server recordings are uploaded to in the bucket tests (~1 min cold, seconds warm).
  ensureFakeS3(say),
]);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(
  `services ready in ${seconds}s: ${livekit.path}, ${ferretdb.path}, PostgreSQL ${postgres.version} (${postgres.postgres})`,
);
say(egress ? `recording: LiveKit Egress at ${egress.path}` : `recording: off, ${noRecording}`);
say(`recordings bucket server: gofakes3 at ${s3.path}`);
