import {
  AudioCodec,
  EgressClient,
  EgressStatus as SdkEgressStatus,
  EncodedFileOutput,
  EncodedFileType,
  EncodingOptions,
  ServerError,
  StreamOutput,
  S3Upload,
  StreamProtocol,
  VideoCodec,
  type EgressInfo,
} from 'livekit-server-sdk';
import { AppError } from '../errors.js';
import { call, translate } from './livekit-gateway.js';
import type {
  EgressStatus,
  FileTarget,
  RecorderGateway,
  RecordingInfo,
  RoomJobOptions,
  StreamResult,
} from './recorder.js';

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

/** StreamInfo.Status (ACTIVE, FINISHED, FAILED), which the SDK does not export. */
const STREAM_STATUS: Record<number, StreamResult['status']> = { 0: 'active', 1: 'finished', 2: 'failed' };

/**
 * 720p H.264 and Opus in MP4: what plays in browsers, and no AAC encoder needed for recordings. Every field
 * is set: Egress reads zero as zero, not as its default.
 */
const PICTURE_AND_SOUND = {
  width: 1280,
  height: 720,
  framerate: 25,
  videoCodec: VideoCodec.H264_MAIN,
  videoBitrate: 2000,
  keyFrameInterval: 4,
  audioCodec: AudioCodec.OPUS,
  audioBitrate: 96,
  audioFrequency: 48000,
};
const ENCODING = new EncodingOptions(PICTURE_AND_SOUND);

/** RTMP carries H.264 and AAC only (FLV has no Opus): the same picture as the recordings, AAC sound. */
const STREAM_ENCODING = new EncodingOptions({ ...PICTURE_AND_SOUND, audioCodec: AudioCodec.AAC });

export function createLiveKitRecorder(options: LiveKitRecorderOptions): RecorderGateway {
  const client = new EgressClient(options.apiUrl, options.apiKey, options.apiSecret, {
    requestTimeout: Math.max(1, Math.ceil(options.requestTimeoutMs / 1000)),
  });
  return {
    recordParticipant: (room, identity, filepath) =>
      start(async () =>
        toRecordingInfo(
          await client.startParticipantEgress(
            room,
            identity,
            { file: new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath }) },
            { encodingOptions: ENCODING },
          ),
        ),
      ),
    recordRoom: (room, target, options) =>
      start(async () =>
        toRecordingInfo(
          await client.startRoomCompositeEgress(
            room,
            { file: fileOutput(typeof target === 'string' ? { filepath: target } : target) },
            {
              customBaseUrl: pageUrl(options),
              audioOnly: options.audioOnly ?? false,
              encodingOptions: ENCODING,
              layout: 'grid',
            },
          ),
        ),
      ),
    streamRoom: (room, urls, options) =>
      start(async () => {
        try {
          return toRecordingInfo(
            await client.startRoomCompositeEgress(
              room,
              { stream: new StreamOutput({ protocol: StreamProtocol.RTMP, urls }) },
              {
                customBaseUrl: pageUrl(options),
                audioOnly: options.audioOnly ?? false,
                encodingOptions: STREAM_ENCODING,
                layout: 'grid',
              },
            ),
          );
        } catch (err) {
          throw withoutUrls(err, urls);
        }
      }),
    stop: (egressId) => call(async () => toRecordingInfo(await client.stopEgress(egressId))),
    list: async (room) => {
      try {
        return (await client.listEgress(room ? { roomName: room } : {})).map(toRecordingInfo);
      } catch (err) {
        throw notConnected(err) ?? translate(err);
      }
    },
  };
}

/**
 * Twirp codes of a start that no Egress took: psrpc's `unavailable` (no Egress answered the call for bids,
 * none had room, or the one chosen is shutting down or short of CPU). Nothing runs after them.
 */
const NO_EGRESS = new Set(['unavailable', 'resource_exhausted']);
/**
 * Twirp codes of a start that Egress may have taken all the same: the SFU gave up waiting for its answer
 * (`deadline_exceeded`, `canceled`), or its retry found the job's id already running (`already_exists`).
 */
const MAYBE_TAKEN = new Set(['deadline_exceeded', 'canceled', 'already_exists']);
/** Connection errors of a request that never left: the SFU did not get it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * An SFU with no Egress behind it (no Redis, or its Egress never joined the bus) says so only in words. Nothing
 * can run there, so a start it did not answer is safely given up (`details.why`: not-connected).
 */
function notConnected(err: unknown): AppError | undefined {
  if (!(err instanceof ServerError) || !/egress not connected/i.test(err.message)) return undefined;
  return new AppError('LIVEKIT_EGRESS_UNAVAILABLE', { cause: err, details: { why: 'not-connected' } });
}

const codeOf = (err: unknown): unknown =>
  err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;

/**
 * A start's failure, told apart by what it says of the job: refused (nothing started: its own code), or
 * LIVEKIT_NO_ANSWER (Egress may have started it; `details.why`: timeout, connection, server-error), so the
 * caller can wait for Egress's list instead of failing a job that records on unseen.
 */
export function translateStart(err: unknown): AppError {
  if (err instanceof ServerError) {
    const unconnected = notConnected(err);
    if (unconnected) return unconnected;
    if (NO_EGRESS.has(err.code ?? '')) return new AppError('LIVEKIT_EGRESS_UNAVAILABLE', { cause: err });
    if (MAYBE_TAKEN.has(err.code ?? ''))
      return new AppError('LIVEKIT_NO_ANSWER', { cause: err, details: { why: 'timeout' } });
    if (err.status >= 500)
      return new AppError('LIVEKIT_NO_ANSWER', { cause: err, details: { why: 'server-error', status: err.status } });
    return translate(err);
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new AppError('LIVEKIT_NO_ANSWER', { cause: err, details: { why: 'timeout' } });
  const cause = err instanceof Error ? err.cause : undefined;
  // undici puts the socket's error in `cause`, an AggregateError of them when several addresses were tried.
  const connection = codeOf(cause) ?? (cause instanceof AggregateError ? codeOf(cause.errors[0]) : undefined);
  if (typeof connection === 'string' && NOT_SENT.has(connection)) return translate(err);
  return new AppError('LIVEKIT_NO_ANSWER', { cause: err, details: { why: 'connection' } });
}

/** Runs a start call, its failure told apart by translateStart. */
async function start<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw translateStart(err);
  }
}

/** An MP4 file at the target; a bucket without keys, so Egress signs the upload with its own. */
function fileOutput(target: FileTarget): EncodedFileOutput {
  const { filepath, s3 } = target;
  if (!s3) return new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath });
  const upload = new S3Upload({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint ?? '',
    forcePathStyle: s3.forcePathStyle,
  });
  return new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath, output: { case: 's3', value: upload } });
}

/**
 * The job's ref rides in the recorder page's address as a query parameter (Egress adds its own parameters
 * beside it and keeps the address in the request it lists; the page ignores it).
 */
const REF_PARAM = 'job';

function pageUrl({ templateUrl, ref }: RoomJobOptions): string {
  if (!ref) return templateUrl;
  const url = new URL(templateUrl);
  url.searchParams.set(REF_PARAM, ref);
  return url.toString();
}

function refOf(e: EgressInfo): string | undefined {
  const base = e.request.case === 'roomComposite' ? e.request.value.customBaseUrl : undefined;
  if (!base) return undefined;
  try {
    return new URL(base).searchParams.get(REF_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Egress's refusals quote the URL they refuse (`invalid url rtmp://…/key: …`), stream key and all, and an
 * error's message and stack end up in logs: both lose every URL (and key) of the request, in place, so the
 * error keeps its type for translate().
 */
function withoutUrls(err: unknown, urls: string[]): unknown {
  if (!(err instanceof Error)) return err;
  // The URL as sent, and its key: the last path segment of the address (librtmp options follow a space).
  const secrets = urls.flatMap((url) => {
    const address = url.trim().split(/\s+/)[0] ?? '';
    return [url, address, address.split(/[/?]/).filter(Boolean).at(-1) ?? ''];
  });
  const scrub = (text: string) =>
    secrets.filter((secret) => secret.length >= 4).reduce((t, secret) => t.replaceAll(secret, '[stream URL]'), text);
  err.message = scrub(err.message);
  if (err.stack) err.stack = scrub(err.stack);
  return err;
}

const fromNs = (ns: bigint | undefined): Date | undefined => (ns ? new Date(Number(ns / 1_000_000n)) : undefined);

/** What Egress reports of a job (an API answer or an egress webhook's egressInfo), as the tool knows it. */
export function toRecordingInfo(e: EgressInfo): RecordingInfo {
  return {
    egressId: e.egressId,
    room: e.roomName,
    status: STATUS[e.status] ?? 'failed',
    startedAt: fromNs(e.startedAt),
    endedAt: fromNs(e.endedAt),
    ...(e.error ? { error: e.error } : {}),
    ...(refOf(e) ? { ref: refOf(e) } : {}),
    files: e.fileResults.map((f) => ({
      path: f.filename,
      durationMs: Number(f.duration / 1_000_000n),
      sizeBytes: Number(f.size),
    })),
    streams: e.streamResults.map((s) => ({
      url: s.url,
      status: STREAM_STATUS[s.status] ?? 'failed',
      startedAt: fromNs(s.startedAt),
      endedAt: fromNs(s.endedAt),
      ...(s.error ? { error: s.error } : {}),
    })),
  };
}
