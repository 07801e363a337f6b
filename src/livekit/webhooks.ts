import { WebhookReceiver } from 'livekit-server-sdk';
import { AppError } from '../errors.js';
import type { ParticipantInfo } from './gateway.js';
import { toParticipant } from './livekit-gateway.js';
import { toRecordingInfo } from './livekit-recorder.js';
import type { RecordingInfo } from './recorder.js';

/** A LiveKit webhook as plain data. `id` is unique per event: duplicates carry the same id. */
export interface LiveKitEvent {
  id: string;
  event: string;
  createdAt: Date;
  room?: { name: string; sid: string; numParticipants: number };
  /** As LiveKit reported it, including the permission the SFU holds (the trustworthy role signal). */
  participant?: ParticipantInfo;
  track?: { sid: string; source: string };
  /** egress_started / egress_updated / egress_ended: the Egress job as it is now (its room is `egress.room`). */
  egress?: RecordingInfo;
}

export interface WebhookVerifier {
  /** Verifies the signature (JWT in Authorization, with the sha256 of the raw body) and parses the event. */
  verify(rawBody: string, authorization: string | undefined): Promise<LiveKitEvent>;
}

export function createWebhookVerifier(apiKey: string, apiSecret: string): WebhookVerifier {
  const receiver = new WebhookReceiver(apiKey, apiSecret);
  return {
    async verify(rawBody, authorization) {
      if (!authorization) throw new AppError('LIVEKIT_WEBHOOK_UNAUTHORIZED');
      let event;
      try {
        event = await receiver.receive(rawBody, authorization);
      } catch (cause) {
        throw new AppError('LIVEKIT_WEBHOOK_UNAUTHORIZED', { cause });
      }
      if (!event.id || !event.event) throw new AppError('LIVEKIT_WEBHOOK_INVALID');
      return {
        id: event.id,
        event: event.event,
        createdAt: new Date(Number(event.createdAt) * 1000),
        room: event.room
          ? { name: event.room.name, sid: event.room.sid, numParticipants: event.room.numParticipants }
          : undefined,
        participant: event.participant ? toParticipant(event.participant) : undefined,
        track: event.track ? { sid: event.track.sid, source: String(event.track.source) } : undefined,
        egress: event.egressInfo ? toRecordingInfo(event.egressInfo) : undefined,
      };
    },
  };
}
