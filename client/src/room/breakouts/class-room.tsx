import { ConnectionState } from 'livekit-client';
import { useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { JoinGrant } from '../../api/room-types';
import type { EndReason, RoomConnection } from '../room-connection';
import { RoomPage, type RoomPageProps } from '../room-page';
import { BreakoutLayer } from './breakout-layer';
import { roomNumberOf } from './breakout-model';

/** Where the page is: the main room (with the caller's grant) until a move gives a breakout's. */
interface Place {
  /** Counts moves: each one is a new RoomPage, with a connection of its own. */
  move: number;
  grant?: JoinGrant;
  visit?: number | undefined;
  media?: RoomPageProps['media'];
}

/**
 * The live class across breakouts: one RoomPage at a time, for the main room or a breakout. Moving
 * between them swaps the page's connection (a new join token) and keeps the pre-join choices (devices,
 * microphone and camera) and the leader's visit. Without a grant yet (behind the pre-join page) it
 * renders the main room's page hidden, and joins when the grant comes.
 */
export function ClassRoom(props: RoomPageProps) {
  const [place, setPlace] = useState<Place>({ move: 0 });
  const grant = place.grant ?? props.grant;
  const moving = useRef(false);
  /** The connection on screen: a move keeps its microphone and camera as they are now (not as at join). */
  const current = useRef<RoomConnection>();
  const { api } = props;

  /** Into the room the server says (a leader's `visit`, or the caller's own place). */
  const go = async (visit?: number): Promise<void> => {
    if (moving.current) return;
    moving.current = true;
    try {
      const grant = await tokenFor(api, visit);
      const conn = current.current;
      // A dropped connection has let its tracks go: then the choices stay as they were.
      const live = conn?.state === ConnectionState.Connected ? conn : undefined;
      const now = live && { microphone: live.media.isEnabled('microphone'), camera: live.media.isEnabled('camera') };
      setPlace((p) => ({ move: p.move + 1, grant, visit, media: now ? { ...props.media, ...now } : p.media }));
    } finally {
      moving.current = false;
    }
  };

  // A breakout closing or a move drops its connection: that is a change of room, not the end of the class.
  // Unless the class itself ended (an instructor's token would reopen it) or the person was removed from it.
  const onEnd = async (reason: EndReason): Promise<boolean> => {
    if (!grant || roomNumberOf(grant.room) === 0 || (reason !== 'ended' && reason !== 'removed')) return false;
    try {
      if ((await api.roomState()).state === 'ended') return false;
      await go(undefined);
      return true;
    } catch {
      return false;
    }
  };

  return (
    <RoomPage
      key={place.move}
      {...props}
      grant={grant}
      media={place.media ?? props.media}
      // Renewals and rejoins: the main room's own token there (as without breakouts), else the breakout's.
      fetchGrant={() => (grant && roomNumberOf(grant.room) ? tokenFor(api, place.visit) : api.roomToken())}
      onEnd={onEnd}
      overlay={(conn) => {
        current.current = conn;
        return grant && <BreakoutLayer api={api} me={props.me} conn={conn} grant={grant} visit={place.visit} go={go} />;
      }}
    />
  );
}

const tokenFor = (api: ApiClient, visit?: number) => api.breakoutToken(visit);
