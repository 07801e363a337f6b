/**
 * What the rest of the tool knows about LiveKit Egress (the recorder): plain data in and out. Only
 * src/livekit/ imports livekit-server-sdk.
 */
/** Egress's own status of a job (not the tool's RecordingStatus of src/recordings/recording.ts). */
export type EgressStatus = 'starting' | 'active' | 'ending' | 'complete' | 'failed' | 'aborted' | 'limit_reached';

export interface RecordingInfo {
  egressId: string;
  room: string;
  status: EgressStatus;
  startedAt?: Date;
  endedAt?: Date;
  /** Set once Egress reports the failure. */
  error?: string;
  /** The caller's name for the job (options.ref of recordRoom and streamRoom), read back from Egress's request. */
  ref?: string;
  files: Array<{ path: string; durationMs: number; sizeBytes: number }>;
  /** A live stream's outputs, one per URL, as Egress reports them (its URLs have the stream key masked). */
  streams: StreamResult[];
}

export interface StreamResult {
  /** Egress's own copy of the URL, with the stream key replaced: never the URL we sent. */
  url: string;
  status: 'active' | 'finished' | 'failed';
  startedAt?: Date;
  endedAt?: Date;
  /** Why the target stopped taking the stream (refused, dropped), as Egress says it. */
  error?: string;
}

/**
 * Where a room recording goes: `filepath` in Egress's folder (absolute: Egress works from `/`), or, with
 * `s3`, the object key Egress uploads to that bucket. The request names the bucket but no credentials:
 * Egress signs its uploads with its own (its environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or an
 * instance role), so no secret travels through the SFU, Redis or Egress's job list.
 */
export interface FileTarget {
  filepath: string;
  s3?: { bucket: string; region: string; endpoint?: string; forcePathStyle: boolean };
}

/**
 * How a room recording or stream is asked for. `ref` is the caller's own name for the job: Egress keeps it in
 * the request it lists, so a job whose answer was lost (the caller stopped while Egress started it) can be
 * told apart from others in the room.
 */
export interface RoomJobOptions {
  templateUrl: string;
  audioOnly?: boolean;
  ref?: string;
}

export interface RecorderGateway {
  /**
   * Records one participant's camera and microphone to an MP4 file at `filepath` (absolute: Egress works
   * from `/`). Audio is Opus: there is no AAC encoder on these machines.
   */
  recordParticipant(room: string, identity: string, filepath: string): Promise<RecordingInfo>;
  /**
   * Records the room as people see it: Egress opens `templateUrl` (our recorder page) in its Chromium with
   * the SFU's address and a hidden recorder token, and records that page's picture and sound to MP4 at
   * `target` (a path, or a FileTarget that can name a bucket).
   */
  recordRoom(room: string, target: string | FileTarget, options: RoomJobOptions): Promise<RecordingInfo>;
  /**
   * Streams the room as people see it (the same page as recordRoom) to RTMP(S) `urls`. The URLs carry the
   * stream key: never log them.
   */
  streamRoom(room: string, urls: string[], options: RoomJobOptions): Promise<RecordingInfo>;
  stop(egressId: string): Promise<RecordingInfo>;
  /** Egress's jobs (of one room), ended ones too while Egress remembers them. */
  list(room?: string): Promise<RecordingInfo[]>;
}
