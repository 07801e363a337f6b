import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import './recorder.css';

/**
 * What LiveKit Egress records of a class: opened by Egress's Chromium as its room-composite template
 * (`?url=<SFU>&token=<hidden recorder token>&layout=grid|speaker`), it shows every camera in a gallery with
 * a shared screen large, and plays every microphone. Egress starts recording when the page logs
 * START_RECORDING and stops at END_RECORDING (its template contract).
 */
export function RecorderPage() {
  const params = new URLSearchParams(location.search);
  const [tracks, setTracks] = useState<RemoteTrack[]>([]);
  const audio = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const url = params.get('url');
    const token = params.get('token');
    if (!url || !token) return;
    const room = new Room({ adaptiveStream: false, dynacast: false });
    const refresh = () =>
      setTracks(
        [...room.remoteParticipants.values()].flatMap((p) =>
          [...p.trackPublications.values()].flatMap((t) => (t.track && t.kind === Track.Kind.Video ? [t.track] : [])),
        ),
      );
    room
      .on(RoomEvent.TrackSubscribed, (track) => {
        if (track.kind === Track.Kind.Audio) audio.current?.append(track.attach());
        refresh();
      })
      .on(RoomEvent.TrackUnsubscribed, (track) => {
        track.detach().forEach((el) => el.remove());
        refresh();
      })
      .on(RoomEvent.Disconnected, () => signal('END_RECORDING'));
    void room.connect(url, token).then(() => {
      refresh();
      signal('START_RECORDING');
    });
    return () => void room.disconnect();
  }, []);

  const screen = tracks.find((t) => t.source === Track.Source.ScreenShare);
  const cameras = tracks.filter((t) => t !== screen);
  const columns = screen ? 1 : Math.ceil(Math.sqrt(Math.max(1, cameras.length)));
  const rows = Math.ceil(Math.max(1, cameras.length) / columns);
  return (
    <div class={`recorder${screen ? ' recorder--screen' : ''}`}>
      {screen && <Video track={screen} class="recorder__screen" />}
      <div
        class="recorder__grid"
        style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}
      >
        {cameras.map((t) => (
          <Video key={t.sid} track={t} class="recorder__tile" />
        ))}
      </div>
      <div ref={audio} hidden />
    </div>
  );
}

/** Egress reads these two words from the page's console. */
function signal(word: 'START_RECORDING' | 'END_RECORDING'): void {
  // eslint-disable-next-line no-console
  console.log(word);
}

function Video({ track, class: className }: { track: RemoteTrack; class: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    track.attach(el);
    return () => void track.detach(el);
  }, [track]);
  return <video ref={ref} class={className} autoPlay muted playsInline />;
}
