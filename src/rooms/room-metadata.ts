import type { ActivitySettings } from './activity-settings.js';
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
}

/** Built in this one place, so room creation and every later switch publish the same shape. */
export function roomMetadata(
  settings: Pick<ActivitySettings, 'title' | 'audioOnly'>,
  room: Pick<RoomRecord, 'locked' | 'chatEnabled'>,
): string {
  const metadata: RoomMetadata = {
    title: settings.title,
    locked: room.locked,
    audioOnly: settings.audioOnly,
    chatEnabled: room.chatEnabled,
  };
  return JSON.stringify(metadata);
}
