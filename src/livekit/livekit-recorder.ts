import {
  AudioCodec,
  EgressClient,
  EgressStatus as SdkEgressStatus,
  EncodedFileOutput,
  EncodedFileType,
  EncodingOptions,
  StreamOutput,
  StreamProtocol,
  VideoCodec,
  type EgressInfo,
} from 'livekit-server-sdk';
import { call } from './livekit-gateway.js';
import type { EgressStatus, RecorderGateway, RecordingInfo } from './recorder.js';

export interface LiveKitRecorderOptions {
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  requestTimeoutMs: number;
}

const STATUS: Record<SdkEgressStatus, EgressStatus> = {
  [SdkEgressStatus.EGRESS_STARTING]: 'starting',
  [SdkEgressStatus.EGRESS_ACTIVE]: 'active',
  [SdkEgressStatus.EGRESS_ENDING]: 'ending',
  [SdkEgressStatus.EGRESS_COMPLETE]: 'complete',
  [SdkEgressStatus.EGRESS_FAILED]: 'failed',
  [SdkEgressStatus.EGRESS_ABORTED]: 'aborted',
  [SdkEgressStatus.EGRESS_LIMIT_REACHED]: 'limit_reached',
};

/**
 * 720p H.264 and Opus in MP4: what plays in browsers and what these machines can encode (no AAC encoder).
 * Every field is set: Egress reads zero as zero, not as its default.
 */
const ENCODING = new EncodingOptions({
  width: 1280,
  height: 720,
  framerate: 25,
  videoCodec: VideoCodec.H264_MAIN,
  videoBitrate: 2000,
  keyFrameInterval: 4,
  audioCodec: AudioCodec.OPUS,
  audioBitrate: 96,
  audioFrequency: 48000,
});

export function createLiveKitRecorder(options: LiveKitRecorderOptions): RecorderGateway {
  const client = new EgressClient(options.apiUrl, options.apiKey, options.apiSecret, {
    requestTimeout: Math.max(1, Math.ceil(options.requestTimeoutMs / 1000)),
  });
  return {
    recordParticipant: (room, identity, filepath) =>
      call(async () =>
        toInfo(
          await client.startParticipantEgress(
            room,
            identity,
            { file: new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath }) },
            { encodingOptions: ENCODING },
          ),
        ),
      ),
    recordRoom: (room, filepath, { templateUrl, audioOnly = false }) =>
      call(async () =>
        toInfo(
          await client.startRoomCompositeEgress(
            room,
            { file: new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath }) },
            { customBaseUrl: templateUrl, audioOnly, encodingOptions: ENCODING, layout: 'grid' },
          ),
        ),
      ),
    streamRoom: (room, urls, { templateUrl, audioOnly = false }) =>
      call(async () =>
        toInfo(
          await client.startRoomCompositeEgress(
            room,
            { stream: new StreamOutput({ protocol: StreamProtocol.RTMP, urls }) },
            { customBaseUrl: templateUrl, audioOnly, encodingOptions: ENCODING, layout: 'grid' },
          ),
        ),
      ),
    stop: (egressId) => call(async () => toInfo(await client.stopEgress(egressId))),
    list: (room) => call(async () => (await client.listEgress(room ? { roomName: room } : {})).map(toInfo)),
  };
}

const fromNs = (ns: bigint | undefined): Date | undefined => (ns ? new Date(Number(ns / 1_000_000n)) : undefined);

/** Egress's job as plain data (also what its webhooks carry, see webhooks.ts). */
export function toInfo(e: EgressInfo): RecordingInfo {
  return {
    egressId: e.egressId,
    room: e.roomName,
    status: STATUS[e.status] ?? 'failed',
    startedAt: fromNs(e.startedAt),
    endedAt: fromNs(e.endedAt),
    ...(e.error ? { error: e.error } : {}),
    files: e.fileResults.map((f) => ({
      path: f.filename,
      durationMs: Number(f.duration / 1_000_000n),
      sizeBytes: Number(f.size),
    })),
  };
}
