/**
 * Recordings for the watching-back tests without Egress: a real MP4 file made with ffmpeg (H.264 and Opus,
 * moov at the end, as Egress writes it) in the tool's recordings folder, and its recording and facts
 * inserted through the store, as the recording side records them.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { recordingIdOf, type Recording } from '../../src/recordings/recording.js';

const run = promisify(execFile);
const made = new Map<string, Promise<string>>();

/**
 * An MP4 of `seconds` of test picture and a 440 Hz tone, made once per length beside the recordings folder
 * (in the test stack's own folder) and copied from there.
 */
export function testMp4(dir: string, seconds: number, audioOnly = false): Promise<string> {
  const key = `${dir}|${seconds}|${audioOnly}`;
  let file = made.get(key);
  if (!file) {
    const out = path.join(path.dirname(dir), `test-source-${seconds}s${audioOnly ? '-audio' : ''}.mp4`);
    const video = audioOnly ? [] : ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15'];
    const codecs = audioOnly ? [] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
    file = run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...video,
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', String(seconds), ...codecs, '-c:a', 'libopus', '-b:a', '48k', '-shortest', out],
    ]).then(() => out);
    made.set(key, file);
  }
  return file;
}

export interface MadeRecording {
  recording: Recording;
  /** The file's absolute path in the recordings folder. */
  file: string;
  sizeBytes: number;
}

/**
 * A finished recording of `roomKey` with its file: inserted, accepted by "Egress", active and ended (with
 * the file's size), as the recording side's webhooks leave it.
 */
export async function makeRecording(
  store: RecordingStore,
  dir: string,
  options: {
    roomKey: string;
    sessionId?: string;
    requestedAt?: Date;
    seconds?: number;
    audioOnly?: boolean;
    /** Stop at this state: 'starting' (no facts), 'recording' (active), 'ready' (ended; the default), 'failed'. */
    state?: 'starting' | 'recording' | 'ready' | 'failed';
    kind?: Recording['kind'];
  },
): Promise<MadeRecording> {
  const sessionId = options.sessionId ?? `ses_t${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const kind = options.kind ?? 'file';
  const existing = (await store.ofSession(sessionId)).filter((r) => r.kind === kind).length;
  const recordingId = recordingIdOf(sessionId, kind, existing + 1);
  const requestedAt = options.requestedAt ?? new Date();
  const fileName = kind === 'file' ? `${recordingId}.mp4` : undefined;
  const recording: Recording = {
    recordingId,
    kind,
    roomKey: options.roomKey,
    sessionId,
    seq: existing + 1,
    startedBy: { kind: 'auto' },
    audioOnly: options.audioOnly ?? false,
    requestedAt,
    ...(fileName ? { fileName } : { target: 'rtmp://127.0.0.1/live/****' }),
  };
  const file = fileName ? path.join(dir, fileName) : '';
  const seconds = options.seconds ?? 2;
  const state = options.state ?? 'ready';
  let sizeBytes = 0;
  // The file and the facts before the recording itself: a retention job running meanwhile (every 2 s in
  // tests) finds an old recording whole, or not at all.
  if (fileName && state !== 'starting') {
    await copyFile(await testMp4(dir, seconds, options.audioOnly), file);
    sizeBytes = (await stat(file)).size;
  }
  const at = (ms: number) => new Date(requestedAt.getTime() + ms);
  if (state !== 'starting') {
    await store.mark({ recordingId, kind: 'egress', at: at(100), egressId: `EG_${randomUUID().slice(0, 12)}` });
    await store.mark({ recordingId, kind: 'active', at: at(1000) });
  }
  if (state === 'ready')
    await store.mark({
      recordingId,
      kind: 'ended',
      at: at(1000 + seconds * 1000),
      durationMs: seconds * 1000,
      sizeBytes,
    });
  if (state === 'failed') await store.mark({ recordingId, kind: 'failed', at: at(2000), error: 'test failure' });
  if (!(await store.create(recording))) throw new Error(`recording ${recordingId} exists`);
  return { recording, file, sizeBytes };
}
