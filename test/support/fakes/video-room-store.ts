import type {
  RefreshGrant,
  RoomDeletion,
  RoomVersion,
  VideoRoomStore,
} from '../../../src/integrations/video-room-store.js';

/** VideoRoomStore in memory, with the unique keys of the mongoose one (a second insert of a key loses). */
export class MemoryVideoRoomStore implements VideoRoomStore {
  readonly versions = new Map<string, RoomVersion>();
  readonly deletions = new Map<string, RoomDeletion>();
  readonly refresh = new Map<string, RefreshGrant>();
  readonly uses = new Set<string>();
  /** Runs before each addVersion (a test stores a rival version there, as a concurrent writer would). */
  beforeAddVersion?: (version: RoomVersion) => Promise<void> | void;

  async addVersion(version: RoomVersion): Promise<boolean> {
    await this.beforeAddVersion?.(version);
    const key = `${version.spaceRef}:${version.version}`;
    if (this.versions.has(key)) return false;
    this.versions.set(key, version);
    return true;
  }
  async latestVersion(spaceRef: string): Promise<RoomVersion | undefined> {
    return [...this.versions.values()].filter((v) => v.spaceRef === spaceRef).sort((a, b) => b.version - a.version)[0];
  }
  async addDeletion(deletion: RoomDeletion): Promise<boolean> {
    const key = `${deletion.apiKeyId}:${deletion.spaceId}`;
    if (this.deletions.has(key)) return false;
    this.deletions.set(key, deletion);
    return true;
  }
  async deletion(apiKeyId: string, spaceId: string): Promise<RoomDeletion | undefined> {
    return this.deletions.get(`${apiKeyId}:${spaceId}`);
  }
  async deletionsOf(apiKeyId: string): Promise<RoomDeletion[]> {
    return [...this.deletions.values()].filter((d) => d.apiKeyId === apiKeyId);
  }
  async addRefresh(grant: RefreshGrant): Promise<void> {
    this.refresh.set(grant.tokenHash, grant);
  }
  async findRefresh(tokenHash: string, now: Date): Promise<RefreshGrant | undefined> {
    const grant = this.refresh.get(tokenHash);
    return grant && grant.expiresAt.getTime() > now.getTime() ? grant : undefined;
  }
  async useRefresh(tokenHash: string): Promise<boolean> {
    if (this.uses.has(tokenHash)) return false;
    this.uses.add(tokenHash);
    return true;
  }
}
