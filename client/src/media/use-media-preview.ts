import { useEffect, useState } from 'preact/hooks';
import { classifyMediaError, policyAllows, type DeviceKind, type MediaProblem } from './media-errors';

/** What the preview should capture; a kind that is false is not asked for (and its track is stopped). */
export interface PreviewRequest {
  camera: boolean;
  microphone: boolean;
  cameraId?: string | undefined;
  microphoneId?: string | undefined;
}

export interface PreviewState {
  video?: MediaStreamTrack | undefined;
  audio?: MediaStreamTrack | undefined;
  problems: Partial<Record<DeviceKind, MediaProblem>>;
  devices: Record<DeviceKind, MediaDeviceInfo[]>;
  /** A getUserMedia request is under way (the browser may be showing its permission prompt). */
  pending: boolean;
}

const NO_DEVICES: Record<DeviceKind, MediaDeviceInfo[]> = { camera: [], microphone: [] };
const DEVICE_KIND: Record<DeviceKind, MediaDeviceKind> = { camera: 'videoinput', microphone: 'audioinput' };

const constraint = (id: string | undefined): MediaTrackConstraints | boolean =>
  id ? { deviceId: { exact: id } } : true;

/** The devices of each kind, once permission gave them labels and ids (empty ids are not choosable). */
async function listDevices(): Promise<Record<DeviceKind, MediaDeviceInfo[]>> {
  if (!navigator.mediaDevices?.enumerateDevices) return NO_DEVICES;
  const all = await navigator.mediaDevices.enumerateDevices();
  const of = (kind: DeviceKind) => all.filter((d) => d.kind === DEVICE_KIND[kind] && d.deviceId !== '');
  return { camera: of('camera'), microphone: of('microphone') };
}

/**
 * The pre-join preview with plain getUserMedia (no livekit-client here: the pre-join bundle stays small).
 * Asks for both kinds in one request (one permission prompt); if that fails, asks for each alone to tell
 * which one is missing or blocked. Tracks stop when the request changes, on unmount and on pagehide.
 */
export function useMediaPreview(request: PreviewRequest): PreviewState {
  const [state, setState] = useState<PreviewState>({ problems: {}, devices: NO_DEVICES, pending: false });
  const { camera, microphone, cameraId, microphoneId } = request;

  useEffect(() => {
    let cancelled = false;
    const acquired: MediaStreamTrack[] = [];
    const stopAll = () => {
      for (const track of acquired.splice(0)) track.stop();
    };

    const run = async () => {
      const problems: Partial<Record<DeviceKind, MediaProblem>> = {};
      const wanted = (['camera', 'microphone'] as const).filter((k) => (k === 'camera' ? camera : microphone));
      const asked = wanted.filter((k) => {
        if (policyAllows(k)) return true;
        problems[k] = 'policy';
        return false;
      });
      let tracks: MediaStreamTrack[] = [];
      if (asked.length > 0 && !navigator.mediaDevices?.getUserMedia) {
        for (const k of asked) problems[k] = 'unsupported';
      } else if (asked.length > 0) {
        setState((s) => ({ ...s, pending: true }));
        const ask = (kinds: readonly DeviceKind[]) =>
          navigator.mediaDevices.getUserMedia({
            video: kinds.includes('camera') && constraint(cameraId),
            audio: kinds.includes('microphone') && constraint(microphoneId),
          });
        try {
          tracks = (await ask(asked)).getTracks();
        } catch (err) {
          if (asked.length === 1) problems[asked[0] as DeviceKind] = classifyMediaError(err, asked[0] as DeviceKind);
          else {
            for (const k of asked) {
              try {
                tracks.push(...(await ask([k])).getTracks());
              } catch (one) {
                problems[k] = classifyMediaError(one, k);
              }
            }
          }
        }
      }
      if (cancelled) {
        for (const track of tracks) track.stop();
        return;
      }
      acquired.push(...tracks);
      const devices = await listDevices().catch(() => NO_DEVICES);
      if (cancelled) return;
      setState({
        video: tracks.find((t) => t.kind === 'video'),
        audio: tracks.find((t) => t.kind === 'audio'),
        problems,
        devices,
        pending: false,
      });
    };

    const onDeviceChange = () =>
      void listDevices().then(
        (devices) => !cancelled && setState((s) => ({ ...s, devices })),
        () => undefined,
      );
    navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange);
    window.addEventListener('pagehide', stopAll);
    void run();
    return () => {
      cancelled = true;
      navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
      window.removeEventListener('pagehide', stopAll);
      stopAll();
    };
  }, [camera, microphone, cameraId, microphoneId]);

  return state;
}

/** The device a track actually captures from (what the room should publish from, too). */
export const deviceIdOf = (track: MediaStreamTrack | undefined): string | undefined =>
  track?.getSettings().deviceId || undefined;
