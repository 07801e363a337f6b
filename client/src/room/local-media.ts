import { Track, type Participant, type Room } from 'livekit-client';
import type { Source as TrackSource } from '../api/room-types';

/** What the launcher itself turns on and off: the server's track sources, less the screen's sound (it follows the share). */
export type Source = Exclude<TrackSource, 'screen_share_audio'>;

/** The capture devices in use (ids as the browser gives them); unset, the browser's default. */
export type Devices = { camera?: string | undefined; microphone?: string | undefined };

const TRACK_SOURCE = {
  camera: Track.Source.Camera,
  microphone: Track.Source.Microphone,
  screen_share: Track.Source.ScreenShare,
} as const;

/** Whether the SFU lets `participant` publish `source` (an empty source list means every source). */
export function mayPublish(participant: Participant, source: Source): boolean {
  const permissions = participant.permissions;
  if (!permissions) return true;
  if (!permissions.canPublish) return false;
  const sources = permissions.canPublishSources;
  return sources.length === 0 || sources.includes(Track.sourceToProto(TRACK_SOURCE[source]));
}

/**
 * What this browser publishes in the room: the sources the user turned on, captured from the devices they
 * chose (on the pre-join page, then in the room). It remembers what the user wants on, so that a source
 * the teacher allowed again, or a rejoin, brings it back.
 */
export class LocalMedia {
  private readonly wanted: Record<Source, boolean> = { camera: false, microphone: false, screen_share: false };
  private readonly devices: Devices = {};

  /** `changed` runs after each change of what is published. */
  constructor(
    private readonly room: Room,
    private readonly changed: () => void,
  ) {}

  /** The devices later captures use (the pre-join page's choice, at join). */
  useDevices(devices: Devices): void {
    Object.assign(this.devices, devices);
  }

  /** Turns a source on or off; answers whether it is on afterwards. */
  async setEnabled(source: Source, enabled: boolean): Promise<boolean> {
    this.wanted[source] = enabled;
    const local = this.room.localParticipant;
    if (enabled && !mayPublish(local, source)) return false;
    const deviceId = source === 'screen_share' ? undefined : this.devices[source];
    const capture = enabled && deviceId ? { deviceId } : undefined;
    if (source === 'camera') await local.setCameraEnabled(enabled, capture);
    else if (source === 'microphone') await local.setMicrophoneEnabled(enabled, capture);
    // A shared tab's sound goes along when the browser offers it; the picker is the browser's own.
    else await local.setScreenShareEnabled(enabled, { audio: true, selfBrowserSurface: 'exclude' });
    this.changed();
    return this.isEnabled(source);
  }

  toggle(source: Source): Promise<boolean> {
    return this.setEnabled(source, !this.isEnabled(source));
  }

  isEnabled(source: Source): boolean {
    const local = this.room.localParticipant;
    if (source === 'screen_share') return local.isScreenShareEnabled;
    return source === 'camera' ? local.isCameraEnabled : local.isMicrophoneEnabled;
  }

  /** Moves capture (or playback, for 'audiooutput') to another device, now and for later captures. */
  async switchDevice(kind: MediaDeviceKind, deviceId: string): Promise<void> {
    await this.room.switchActiveDevice(kind, deviceId);
    if (kind === 'videoinput') this.devices.camera = deviceId;
    if (kind === 'audioinput') this.devices.microphone = deviceId;
  }

  activeDevice(kind: MediaDeviceKind): string | undefined {
    return this.room.getActiveDevice(kind);
  }

  /** Brings back the microphone and camera the user had on, where the SFU allows them (again). */
  async restoreWanted(): Promise<void> {
    const local = this.room.localParticipant;
    // Never the screen: sharing again needs the user's own pick in the browser's dialog.
    for (const source of ['microphone', 'camera'] as const) {
      if (this.wanted[source] && !this.isEnabled(source) && mayPublish(local, source)) {
        await this.setEnabled(source, true).catch(() => undefined);
      }
    }
  }
}
