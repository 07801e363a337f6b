import type { AudioTrack } from 'livekit-client';
import { useAttach } from './participant-tile';
import type { ParticipantModel } from './participant-model';

/**
 * Everyone's sound, apart from the tiles: a participant on another gallery page (whose tile is not rendered)
 * must still be heard.
 */
export function AudioRenderer({ participants }: { participants: ParticipantModel[] }) {
  return (
    <div class="room-audio" hidden>
      {participants.flatMap((p) => [
        p.audioTrack && <RemoteAudio key={`${p.identity}:mic`} identity={p.identity} track={p.audioTrack} />,
        p.screenAudioTrack && (
          <RemoteAudio key={`${p.identity}:screen`} identity={p.identity} track={p.screenAudioTrack} screen />
        ),
      ])}
    </div>
  );
}

function RemoteAudio({ identity, track, screen }: { identity: string; track: AudioTrack; screen?: boolean }) {
  const ref = useAttach(track);
  return <audio ref={ref} autoPlay data-identity={identity} data-source={screen ? 'screen' : 'microphone'} />;
}
