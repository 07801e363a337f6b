import { z } from 'zod';
import type { RecordingEntry, RecordingLinkPair } from '../recordings/recording-library.js';

/**
 * The integrator API's recordings JSON (snake_case, documented in docs/integrator-api.md) and the queries it
 * accepts. A finished recording comes with signed links to play and download it, good for a few minutes.
 */

const instant = z.iso.datetime({ offset: true });

export const recordingsQuery = z
  .object({
    session_id: z
      .string()
      .regex(/^ses_[\w-]{1,64}$/)
      .optional(),
    /** Only recordings asked for before / at or after this instant. */
    before: instant.optional(),
    after: instant.optional(),
    status: z.enum(['starting', 'recording', 'ready', 'failed', 'deleted']).optional(),
  })
  .strict();

/** A bulk delete names at least one filter: "every recording of the room" is `before` now. */
export const recordingsDeleteQuery = z
  .object({
    session_id: z
      .string()
      .regex(/^ses_[\w-]{1,64}$/)
      .optional(),
    before: instant.optional(),
  })
  .strict()
  .refine((q) => q.session_id !== undefined || q.before !== undefined, {
    message: 'name session_id, before, or both',
    path: ['before'],
  });

export interface RecordingJson {
  recording_id: string;
  room_id: string;
  session_id: string;
  status: RecordingEntry['status'];
  audio_only: boolean;
  requested_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  size_bytes: number | null;
  published: boolean;
  /** When retention deletes it. */
  kept_until: string;
  deleted_at: string | null;
  /** Ready recordings only: inline (a player) and as an attachment; each works until urls_expire_at. */
  play_url: string | null;
  download_url: string | null;
  urls_expire_at: string | null;
}

export function recordingJson(e: RecordingEntry, links: RecordingLinkPair | undefined): RecordingJson {
  const r = e.recording;
  return {
    recording_id: r.recordingId,
    room_id: r.roomKey,
    session_id: r.sessionId,
    status: e.status,
    audio_only: r.audioOnly,
    requested_at: r.requestedAt.toISOString(),
    started_at: e.startedAt?.toISOString() ?? null,
    ended_at: e.endedAt?.toISOString() ?? null,
    duration_ms: e.durationMs ?? null,
    size_bytes: e.sizeBytes ?? null,
    published: e.published,
    kept_until: e.keptUntil.toISOString(),
    deleted_at: e.deleted?.at.toISOString() ?? null,
    play_url: links?.play.url ?? null,
    download_url: links?.download.url ?? null,
    urls_expire_at: links?.play.expiresAt.toISOString() ?? null,
  };
}
