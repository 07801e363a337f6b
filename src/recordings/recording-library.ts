import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { AuditStore } from '../rooms/audit-store.js';
import { recordingOf, type ActivitySettings } from '../rooms/activity-settings.js';
import { downloadName } from './download-name.js';
import { actorOf, listedFor, managesRecordings, seesRecordings, watchBasis, type Viewer } from './recording-access.js';
import { mediaTypeOf, type Handover, type RecordingFiles } from './recording-files.js';
import type { LinkGrant, RecordingLinks, SignedLink } from './recording-links.js';
import { isPublished, type RecordingPublication } from './recording-publication.js';
import type { RecordingStore } from './recording-store.js';
import { stateOf, type Recording, type RecordingState } from './recording.js';

const DAY_MS = 24 * 60 * 60_000;
/** Two teachers toggling one recording at once: a lost insert reads again, this many times at most. */
const PUBLISH_TRIES = 5;

/** The class a request is about: its room, and its activity's title and recording settings. */
export interface LibraryScope {
  roomKey: string;
  settings: ActivitySettings;
  /** Where download names take their date from (the launch's timezone); UTC when unset. */
  timeZone?: string;
}

/** A recording as its list shows it. */
export interface RecordingEntry extends RecordingState {
  published: boolean;
  /** When retention deletes it (the deployment's recordings.retentionDays, or the activity's shorter one). */
  keptUntil: Date;
  /** When it was deleted, and by whom (an identity, `key:<apiKeyId>` or 'retention'). */
  deleted?: { at: Date; by?: string };
}

export interface RecordingLinkPair {
  play: SignedLink;
  download: SignedLink;
}

export interface DeleteFilter {
  /** Recordings asked for before this instant. */
  before?: Date;
  sessionId?: string;
}

export interface RecordingLibraryDeps {
  store: RecordingStore;
  audit: Pick<AuditStore, 'append' | 'appendOnce'>;
  files: RecordingFiles;
  links: RecordingLinks;
  /** The deployment's recordings.retentionDays: no activity keeps recordings longer. */
  retentionDays: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Watching back: a class's recordings as each viewer may see them, signed links to play and download them,
 * deletion (final: the file goes first, then the recording is marked deleted and the act audited, each step
 * safe to redo) and publishing. Rooms are the callers' to check: a scope is a room the caller may open.
 */
export function createRecordingLibrary(deps: RecordingLibraryDeps) {
  const log = deps.logger.child({ module: 'recordings' });
  const now = deps.now ?? (() => new Date());

  /** The activity's retention, never above the deployment's. */
  const retentionDaysOf = (settings: ActivitySettings): number =>
    Math.min(recordingOf(settings).retentionDays ?? deps.retentionDays, deps.retentionDays);

  const entriesOf = async (scope: LibraryScope, recordings: Recording[]): Promise<RecordingEntry[]> => {
    const ids = recordings.map((r) => r.recordingId);
    const [facts, publications] = await Promise.all([deps.store.facts(ids), deps.store.publications(ids)]);
    const days = retentionDaysOf(scope.settings);
    return recordings.map((r) => {
      const own = facts.get(r.recordingId) ?? [];
      const deleted = own.find((f) => f.kind === 'deleted');
      return {
        ...stateOf(r, own),
        published: isPublished(publications.get(r.recordingId)),
        keptUntil: new Date(r.requestedAt.getTime() + days * DAY_MS),
        ...(deleted ? { deleted: { at: deleted.at, ...(deleted.by ? { by: deleted.by } : {}) } } : {}),
      };
    });
  };

  const viewersOf = (scope: LibraryScope) => recordingOf(scope.settings).viewers;

  /** The room's recording (files only; streams are not watched back), as this viewer may see it. */
  const entry = async (scope: LibraryScope, viewer: Viewer, recordingId: string): Promise<RecordingEntry> => {
    const recording = await deps.store.get(recordingId);
    if (!recording || recording.roomKey !== scope.roomKey || recording.kind !== 'file')
      throw new AppError('RECORDING_NOT_FOUND');
    const [found] = await entriesOf(scope, [recording]);
    if (!found) throw new AppError('RECORDING_NOT_FOUND');
    if (!listedFor(viewer, viewersOf(scope), found))
      throw new AppError(found.status === 'ready' ? 'RECORDING_FORBIDDEN' : 'RECORDING_NOT_FOUND');
    return found;
  };

  const manager = (viewer: Viewer): void => {
    if (!managesRecordings(viewer)) throw new AppError('RECORDING_MANAGE_FORBIDDEN');
  };

  /**
   * Deletes a recording for good, every step safe to repeat (a retry after a crash, another process):
   * the file first (so nothing of it outlives a crash), then the `deleted` fact, then the audit entry, one
   * per recording. True when this call marked it deleted.
   */
  const erase = async (recording: Recording, by: string, at = now()): Promise<boolean> => {
    if (recording.fileName) await deps.files.remove(recording.fileName);
    const marked = await deps.store.mark({ recordingId: recording.recordingId, kind: 'deleted', at, by });
    await deps.audit.appendOnce(
      {
        roomKey: recording.roomKey,
        sessionId: recording.sessionId,
        actor: by,
        action: 'recording.deleted',
        target: recording.recordingId,
        at,
      },
      `recording.deleted ${recording.recordingId}`,
    );
    return marked;
  };

  const deletable = (e: RecordingEntry): boolean => e.status !== 'recording';

  /** The recordings this viewer sees, newest first; RECORDING_FORBIDDEN where they are the teachers' alone. */
  const list = async (scope: LibraryScope, viewer: Viewer): Promise<RecordingEntry[]> => {
    const viewers = viewersOf(scope);
    if (!seesRecordings(viewer, viewers)) throw new AppError('RECORDING_FORBIDDEN');
    const files = (await deps.store.ofRoom(scope.roomKey)).filter((r) => r.kind === 'file');
    return (await entriesOf(scope, files)).filter((e) => listedFor(viewer, viewers, e));
  };

  return {
    retentionDaysOf,
    erase,

    list,
    entry,

    /** A play link and a download link, minted after the check of why this viewer may watch it. */
    async links(scope: LibraryScope, viewer: Viewer, recordingId: string): Promise<RecordingLinkPair> {
      const found = await entry(scope, viewer, recordingId);
      if (found.status === 'deleted') throw new AppError('RECORDING_DELETED');
      if (found.status !== 'ready' || !found.recording.fileName) throw new AppError('RECORDING_NOT_READY');
      const basis = watchBasis(viewer, viewersOf(scope), found);
      if (!basis) throw new AppError('RECORDING_FORBIDDEN');
      // Said now, in the page, rather than by a player that cannot show why it fails.
      if (!(await deps.files.find(found.recording.fileName))) throw new AppError('RECORDING_FILE_MISSING');
      const fileName = downloadName(
        scope.settings.title,
        found.startedAt ?? found.recording.requestedAt,
        found.recording.fileName,
        scope.timeZone,
      );
      const grant = { recordingId, viewer: actorOf(viewer), basis, fileName };
      const [play, download] = await Promise.all([
        deps.links.mint({ ...grant, download: false }),
        deps.links.mint({ ...grant, download: true }),
      ]);
      return { play, download };
    },

    /** Deletes one recording (teachers, the integrator); deleting a deleted one finishes what a crash left. */
    async remove(scope: LibraryScope, viewer: Viewer, recordingId: string): Promise<void> {
      manager(viewer);
      const found = await entry(scope, viewer, recordingId);
      if (!deletable(found))
        throw new AppError('RECORDING_NOT_READY', { message: 'Stop the recording before deleting it.' });
      if (await erase(found.recording, actorOf(viewer)))
        log.info({ roomKey: scope.roomKey, recordingId, by: actorOf(viewer) }, 'recording deleted');
    },

    /** Deletes the room's recordings that match every given filter; those still recording are left. */
    async removeWhere(
      scope: LibraryScope,
      viewer: Viewer,
      filter: DeleteFilter,
    ): Promise<{ deleted: string[]; recording: string[] }> {
      manager(viewer);
      const matching = (await list(scope, viewer)).filter(
        (e) =>
          e.status !== 'deleted' &&
          (!filter.before || e.recording.requestedAt.getTime() < filter.before.getTime()) &&
          (!filter.sessionId || e.recording.sessionId === filter.sessionId),
      );
      const deleted: string[] = [];
      for (const e of matching.filter(deletable)) {
        await erase(e.recording, actorOf(viewer));
        deleted.push(e.recording.recordingId);
      }
      if (deleted.length > 0) log.info({ roomKey: scope.roomKey, count: deleted.length }, 'recordings deleted');
      return { deleted, recording: matching.filter((e) => !deletable(e)).map((e) => e.recording.recordingId) };
    },

    /**
     * Publishes a finished recording to the course, or takes it back (an activity whose recordings are
     * watched once published): a new publication, the recording's next seq; setting what it already is
     * changes nothing.
     */
    async setPublished(
      scope: LibraryScope,
      viewer: Viewer,
      recordingId: string,
      published: boolean,
    ): Promise<RecordingEntry> {
      manager(viewer);
      const found = await entry(scope, viewer, recordingId);
      if (viewersOf(scope) !== 'published') throw new AppError('RECORDING_PUBLISHING_OFF');
      if (found.status === 'deleted') throw new AppError('RECORDING_DELETED');
      if (published && found.status !== 'ready') throw new AppError('RECORDING_NOT_READY');
      for (let i = 0; i < PUBLISH_TRIES; i += 1) {
        const latest: RecordingPublication | undefined = (await deps.store.publications([recordingId])).get(
          recordingId,
        );
        if (isPublished(latest) === published) return { ...found, published };
        const at = now();
        const by = actorOf(viewer);
        if (await deps.store.publish({ recordingId, seq: (latest?.seq ?? 0) + 1, published, by, at })) {
          const action = published ? 'recording.published' : 'recording.unpublished';
          const { roomKey, sessionId } = found.recording;
          await deps.audit.append({ roomKey, sessionId, actor: by, action, target: recordingId, at });
          log.info({ roomKey, recordingId, by }, published ? 'recording published' : 'recording unpublished');
          return { ...found, published };
        }
      }
      throw new AppError('INTERNAL', { message: 'The recording changed too often at once; try again.' });
    },

    /**
     * What a signed link opens, checked again on every request of it (a player sends many): the recording
     * still exists and is not deleted, its file is there (in the folder; a bucket says so itself), and a link
     * minted because it was published stops as soon as it is taken back. `answer` is what the file is
     * handed over with: the link's end and its Content-Disposition.
     */
    async fileFor(
      grant: LinkGrant,
      answer: { expiresAt: Date; contentDisposition: string },
    ): Promise<{ recording: Recording; contentType: string; handover: Handover }> {
      const recording = await deps.store.get(grant.recordingId);
      if (!recording || recording.kind !== 'file' || !recording.fileName) throw new AppError('RECORDING_NOT_FOUND');
      const [facts, publications] = await Promise.all([
        deps.store.facts([recording.recordingId]),
        grant.basis === 'published' ? deps.store.publications([recording.recordingId]) : undefined,
      ]);
      const status = stateOf(recording, facts.get(recording.recordingId) ?? []).status;
      if (status === 'deleted') throw new AppError('RECORDING_DELETED');
      if (status !== 'ready') throw new AppError('RECORDING_NOT_READY');
      if (publications && !isPublished(publications.get(recording.recordingId)))
        throw new AppError('RECORDING_NOT_PUBLISHED');
      const contentType = mediaTypeOf(recording.fileName, recording.audioOnly);
      const handover = await deps.files.handover(recording.fileName, { ...answer, contentType });
      if (!handover) throw new AppError('RECORDING_FILE_MISSING');
      return { recording, contentType, handover };
    },

    /** A class session's recordings and live streams, those that failed or were deleted left out. */
    async countsOf(sessionId: string): Promise<{ recordings: number; livestreams: number }> {
      const all = await deps.store.ofSession(sessionId);
      const facts = await deps.store.facts(all.map((r) => r.recordingId));
      const counted = all.filter(
        (r) => !['failed', 'deleted'].includes(stateOf(r, facts.get(r.recordingId) ?? []).status),
      );
      return {
        recordings: counted.filter((r) => r.kind === 'file').length,
        livestreams: counted.filter((r) => r.kind === 'stream').length,
      };
    },
  };
}

export type RecordingLibrary = ReturnType<typeof createRecordingLibrary>;
