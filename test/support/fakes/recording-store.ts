import type { FileTarget, RecorderGateway, RecordingInfo, RoomJobOptions } from '../../../src/livekit/recorder.js';
import type { Recording, RecordingFact } from '../../../src/recordings/recording.js';
import type { RecordingStore } from '../../../src/recordings/recording-store.js';
import type { RecordingPublication } from '../../../src/recordings/recording-publication.js';

/** Recordings in memory, with the store's unique inserts (one recording per id, one fact per kind). */
export class MemoryRecordingStore implements RecordingStore {
  readonly recordings = new Map<string, Recording>();
  readonly factList: RecordingFact[] = [];
  readonly publicationList: RecordingPublication[] = [];

  async create(recording: Recording): Promise<boolean> {
    await Promise.resolve();
    if (this.recordings.has(recording.recordingId)) return false;
    this.recordings.set(recording.recordingId, structuredClone(recording));
    return true;
  }
  async get(id: string) {
    return this.recordings.get(id);
  }
  async ofSession(sessionId: string) {
    return [...this.recordings.values()]
      .filter((r) => r.sessionId === sessionId)
      .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || a.seq - b.seq);
  }
  async ofRoom(roomKey: string) {
    return [...this.recordings.values()]
      .filter((r) => r.roomKey === roomKey)
      .sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime());
  }
  async byEgress(egressId: string) {
    const fact = this.factList.find((f) => f.kind === 'egress' && f.egressId === egressId);
    return fact ? this.recordings.get(fact.recordingId) : undefined;
  }
  async requestedBetween(from: Date, before: Date, limit: number) {
    return [...this.recordings.values()]
      .filter((r) => r.requestedAt >= from && r.requestedAt < before)
      .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime())
      .slice(0, limit);
  }
  async publish(publication: RecordingPublication): Promise<boolean> {
    await Promise.resolve();
    const taken = this.publicationList.some(
      (p) => p.recordingId === publication.recordingId && p.seq === publication.seq,
    );
    if (!taken) this.publicationList.push({ ...publication });
    return !taken;
  }
  async publications(ids: readonly string[]) {
    const latest = new Map<string, RecordingPublication>();
    for (const p of this.publicationList) {
      if (ids.includes(p.recordingId) && (latest.get(p.recordingId)?.seq ?? 0) < p.seq) latest.set(p.recordingId, p);
    }
    return latest;
  }
  async mark(fact: RecordingFact): Promise<boolean> {
    await Promise.resolve();
    if (this.factList.some((f) => f.recordingId === fact.recordingId && f.kind === fact.kind)) return false;
    this.factList.push({ ...fact });
    return true;
  }
  async facts(ids: readonly string[]) {
    return new Map(ids.map((id) => [id, this.factList.filter((f) => f.recordingId === id)]));
  }
  async remove(id: string) {
    this.recordings.delete(id);
    for (let i = this.factList.length - 1; i >= 0; i--)
      if (this.factList[i]?.recordingId === id) this.factList.splice(i, 1);
  }
  kinds(id: string): string[] {
    return this.factList.filter((f) => f.recordingId === id).map((f) => f.kind);
  }
}

/** Egress in memory: jobs it was asked for, what it answers, and a switch to make it refuse. */
export class FakeRecorder implements RecorderGateway {
  readonly jobs = new Map<string, RecordingInfo>();
  readonly calls: Array<{
    op: string;
    room: string;
    target?: string;
    templateUrl?: string;
    audioOnly?: boolean;
    ref?: string;
  }> = [];
  refuse = false;
  /** The code a refused start fails with (the gateway's: no Egress free, a bad request, the SFU unreachable). */
  refusal = 'LIVEKIT_EGRESS_UNAVAILABLE';
  /** Egress starts the job but its answer never arrives (the caller sees a timeout, a dropped connection, a 5xx). */
  loseAnswer: false | 'timeout' | 'connection' | 'server-error' = false;
  /** Egress starts the job and its answer is held until `release()`: a start slower than the caller waits. */
  holdAnswer = false;
  /** Egress does not list the job it starts yet (the SFU has not stored it). */
  unlisted = new Set<string>();
  /** The SFU has no Egress behind it: starts time out and the list says "egress not connected". */
  unconnected = false;
  private held: Array<() => void> = [];
  /** Egress gone: stops fail as unanswered (its list, in the SFU's Redis, still says what it last said). */
  unreachable = false;
  private ids = 0;

  private async job(room: string, files: RecordingInfo['files'], ref?: string): Promise<RecordingInfo> {
    if (this.refuse) throw Object.assign(new Error('no egress'), { code: this.refusal });
    if (this.unconnected)
      throw Object.assign(new Error('no answer'), { code: 'LIVEKIT_NO_ANSWER', details: { why: 'timeout' } });
    const info: RecordingInfo = {
      egressId: `EG_${++this.ids}`,
      room,
      status: 'starting',
      files,
      streams: [],
      ...(ref ? { ref } : {}),
    };
    this.jobs.set(info.egressId, info);
    if (this.loseAnswer)
      throw Object.assign(new Error('no answer'), { code: 'LIVEKIT_NO_ANSWER', details: { why: this.loseAnswer } });
    if (this.holdAnswer) await new Promise<void>((resolve) => this.held.push(resolve));
    return { ...info };
  }
  /** Lets the held answers go. */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }
  async recordParticipant(room: string, _identity: string, filepath: string) {
    return this.job(room, [{ path: filepath, durationMs: 0, sizeBytes: 0 }]);
  }
  async recordRoom(room: string, target: string | FileTarget, options: RoomJobOptions) {
    const filepath = typeof target === 'string' ? target : target.filepath;
    this.calls.push({ op: 'recordRoom', room, target: filepath, ...options });
    return this.job(room, [{ path: filepath, durationMs: 0, sizeBytes: 0 }], options.ref);
  }
  async streamRoom(room: string, urls: string[], options: RoomJobOptions) {
    this.calls.push({ op: 'streamRoom', room, target: urls[0], ...options });
    return this.job(room, [], options.ref);
  }
  async stop(egressId: string) {
    this.calls.push({ op: 'stop', room: this.jobs.get(egressId)?.room ?? '', target: egressId });
    const job = this.jobs.get(egressId);
    if (this.unreachable) throw Object.assign(new Error('no response'), { code: 'LIVEKIT_UNAVAILABLE' });
    if (!job) throw Object.assign(new Error('not found'), { code: 'LIVEKIT_NOT_FOUND' });
    job.status = 'ending';
    return { ...job };
  }
  async list(room?: string) {
    if (this.unconnected)
      throw Object.assign(new Error('egress not connected'), {
        code: 'LIVEKIT_EGRESS_UNAVAILABLE',
        details: { why: 'not-connected' },
      });
    return [...this.jobs.values()]
      .filter((j) => (!room || j.room === room) && !this.unlisted.has(j.egressId))
      .map((j) => ({ ...j }));
  }
  /** Egress moving a job on, as its webhooks would report it. */
  set(egressId: string, change: Partial<RecordingInfo>): RecordingInfo {
    const job = this.jobs.get(egressId);
    if (!job) throw new Error(`no job ${egressId}`);
    Object.assign(job, change);
    return { ...job, files: job.files.map((f) => ({ ...f })) };
  }
}
