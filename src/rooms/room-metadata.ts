import type { ActivitySettings } from './activity-settings.js';
import type { RoomLayout } from './room-facts.js';
import type { RoomRecord } from './room-store.js';

/**
 * The LiveKit room metadata (JSON), written only by the tool and read by every client in the room: the
 * title, and the switches the launcher reflects (lock badge, audio-only layout, chat box on or off).
 */
export interface RoomMetadata {
  title: string;
  locked: boolean;
  audioOnly: boolean;
  chatEnabled: boolean;
  /** The layout a leader set for everyone (room-facts.ts); every page follows it, late joiners too. */
  layout: RoomLayout;
  /** The room's metadata keys, as an integrator set them over the API. */
  custom: Record<string, string>;
}

/** Built in this one place, so room creation and every later switch publish the same shape. */
export function roomMetadata(
  settings: Pick<ActivitySettings, 'title' | 'audioOnly'>,
  room: Pick<RoomRecord, 'locked' | 'chatEnabled' | 'layout' | 'metadata'>,
): string {
  const metadata: RoomMetadata = {
    title: settings.title,
    locked: room.locked,
    audioOnly: settings.audioOnly,
    chatEnabled: room.chatEnabled,
    layout: room.layout,
    custom: room.metadata,
  };
  return JSON.stringify(metadata);
}
