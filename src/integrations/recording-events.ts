import type { RecordingEvent } from '../recordings/recording-jobs.js';
import type { Space } from './space-store.js';
import { outboxEventId, type RecordingWire, type WebhookPayload } from './webhook-outbox.js';

/**
 * The `recording.*` and `livestream.*` integrator webhooks (docs/integrator-api.md): one of each per
 * recording and type, whatever redelivery or reconcile pass reports it again (the id is derived from the
 * recording's id and the type, and the outbox is unique by id).
 */
export function recordingPayload(space: Pick<Space, 'spaceId'>, event: RecordingEvent): WebhookPayload {
  const { state: s } = event;
  const r = s.recording;
  const ended = event.type.endsWith('.ended');
  const at = ended ? (s.endedAt ?? r.requestedAt) : (s.startedAt ?? r.requestedAt);
  const wire: RecordingWire = {
    recording_id: r.recordingId,
    kind: r.kind === 'file' ? 'recording' : 'livestream',
    status: ended ? (s.status === 'ready' ? 'ready' : 'failed') : 'recording',
    started_by: r.startedBy.kind,
    started_at: s.startedAt?.toISOString() ?? null,
    ended_at: ended ? (s.endedAt?.toISOString() ?? null) : null,
    duration_seconds: ended && s.durationMs !== undefined ? Math.round(s.durationMs / 1000) : null,
    size_bytes: ended && s.sizeBytes !== undefined ? s.sizeBytes : null,
  };
  return {
    id: outboxEventId(r.recordingId, event.type),
    type: event.type,
    created_at: at.toISOString(),
    space_id: space.spaceId,
    room_id: event.room.key,
    session_id: r.sessionId,
    recording: wire,
  };
}
