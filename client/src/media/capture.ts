import type { DeviceKind } from './media-errors';

/**
 * What the pre-join preview asks the camera and microphone for: what livekit-client asks for in the room
 * (its capture defaults: 1280×720 at 30 frames a second; echo cancellation, noise suppression, automatic
 * gain and voice isolation), so that Join publishes the preview's own tracks (room/local-media.ts) as
 * they are, instead of closing the devices and opening them again.
 */
const CAPTURE: Record<DeviceKind, MediaTrackConstraints> = {
  camera: { width: 1280, height: 720, frameRate: 30, aspectRatio: 16 / 9 },
  // voiceIsolation is not in TypeScript's DOM types yet; browsers without it ignore it.
  microphone: { autoGainControl: true, echoCancellation: true, noiseSuppression: true, voiceIsolation: true } as object,
};

/** The constraints for one device kind, from the chosen device (exactly) or the browser's default. */
export const captureConstraints = (kind: DeviceKind, deviceId: string | undefined): MediaTrackConstraints =>
  deviceId ? { ...CAPTURE[kind], deviceId: { exact: deviceId } } : CAPTURE[kind];
