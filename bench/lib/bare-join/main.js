/* global document, window */
/**
 * The bare side of bench/join-latency.ts: livekit-client alone, built by the bench with vite. The bench
 * puts a pre-minted token in `window.__grant` before the click; the click connects (the same Room options
 * and loopback ICE configuration as the launcher's RoomConnection), attaches the first remote camera and
 * notes when its first frame is presented, with the launcher's user timing marks on the way; then it
 * publishes camera and microphone, as the launcher does.
 */
import { Room, RoomEvent, Track } from 'livekit-client';

const button = document.getElementById('join');
const videos = document.getElementById('videos');

button.addEventListener('click', () => {
  window.__joinClickAt = performance.now();
  const { url, token } = window.__grant;
  const room = new Room({ adaptiveStream: true, dynacast: true });
  window.__room = room;
  room.on(RoomEvent.TrackSubscribed, (track) => {
    if (track.kind !== Track.Kind.Video || window.__firstRemoteFrameAt) return;
    performance.mark('room:video-subscribed');
    const el = track.attach();
    el.muted = true;
    videos.append(el);
    el.requestVideoFrameCallback((now, meta) => {
      if (!window.__firstRemoteFrameAt) performance.mark('bench:first-frame');
      window.__firstRemoteFrameAt ??= performance.now();
      window.__firstFrameMeta ??= meta;
    });
  });
  room.on(RoomEvent.SignalConnected, () => performance.mark('room:signal-connected'));
  // The same user timing marks as the launcher's RoomConnection, for the bench's breakdown.
  performance.mark('room:connect');
  room.connect(url, token, { rtcConfig: { iceServers: [] } }).then(
    () => {
      performance.mark('room:connected');
      return room.localParticipant.enableCameraAndMicrophone().catch(() => undefined);
    },
    (err) => {
      window.__joinError = String(err);
    },
  );
});
button.disabled = false;
