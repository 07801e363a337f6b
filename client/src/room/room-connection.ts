import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, type RoomConnectOptions } from 'livekit-client';
import type { JoinGrant, RoomMetadata as ToolRoomMetadata } from '../api/room-types';
import { mayAct } from './data-policy';
import { LocalMedia, type Devices } from './local-media';
import { roleOf } from './participant-role';

/** Why the room closed for good, as the end screens tell it. */
export type EndReason = 'ended' | 'removed' | 'duplicate' | 'left' | 'lost' | 'locked';

/** The events a RoomConnection emits; listeners get plain values, never the livekit Room. */
export interface RoomConnectionEvents {
  /** connecting → connected ⇄ reconnecting → disconnected. */
  connectionState: (state: ConnectionState) => void;
  /** Someone joined or left, or a track, mute, metadata, permission or speaker changed. */
  participantsChanged: () => void;
  /**
   * A decoded JSON data message of a topic the launcher acts on, from a sender allowed to send it
   * (data-policy.ts); `from` is the sender's identity as the SFU stamped it, undefined for the tool.
   */
  data: (message: unknown, topic: string | undefined, from: string | undefined) => void;
  /** The connection is over and will not come back by itself. */
  disconnected: (reason: EndReason) => void;
  /**
   * Our own rejoin is under way (LiveKit's reconnection gave up): attempt n, and when the next one starts
   * (Date.now() time), or undefined once rejoined. The connection state says Reconnecting meanwhile.
   */
  rejoining: (next: { attempt: number; at: number } | undefined) => void;
  /** Browser autoplay blocked audio: the page must offer a button that calls startAudio(). */
  audioBlocked: (blocked: boolean) => void;
}

export interface RoomConnectionOptions {
  /**
   * Asks the server for a fresh join token; rejects with the server's refusal (an ApiError). Without it the
   * token is never renewed and a lost connection is not rejoined (the waiting room's lobby).
   */
  fetchGrant?: () => Promise<JoinGrant>;
  /** The refusal codes that mean "the class is over for you" rather than "try again". */
  endReasonOf?: (err: unknown) => EndReason | undefined;
  now?: () => number;
  /** Raises or lowers the local hand through the tool (participants cannot set their own attributes). */
  setHand?: (raised: boolean) => Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Ask for a new token this long before the current one expires. */
const RENEW_BEFORE_MS = 60_000;
const MIN_RENEW_DELAY_MS = 5_000;
/** Our own rejoins after LiveKit's reconnection gave up: 1, 2, 5, then every 10 s, for as long as it takes. */
const REJOIN_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

/** How long to wait before rejoin attempt `attempt` (the first is 1). */
export function rejoinDelayMs(attempt: number): number {
  return REJOIN_DELAYS_MS[Math.min(Math.max(attempt, 1), REJOIN_DELAYS_MS.length) - 1] ?? 10_000;
}

/**
 * ICE configuration for a LiveKit URL: none at all for a loopback SFU (a STUN server is unreachable there
 * and only slows gathering down), LiveKit's defaults (servers the SFU announces) for anything else.
 */
export function rtcConfigFor(livekitUrl: string): RTCConfiguration | undefined {
  try {
    return LOOPBACK_HOSTS.has(new URL(livekitUrl).hostname) ? { iceServers: [] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Warms the way to the SFU before Join (livekit-client's prepareConnection: a HEAD request to its http(s)
 * URL, which readies DNS, TCP and TLS, and LiveKit Cloud's region pick); never fails.
 */
export async function prepareConnection(url: string, token: string): Promise<void> {
  await new Room().prepareConnection(url, token).catch(() => undefined);
}

/** The launcher's Room: adaptive stream and dynacast (captures name their device: LocalMedia). */
const newRoom = (): Room => new Room({ adaptiveStream: true, dynacast: true });

function connectOptions(url: string): RoomConnectOptions {
  const options: RoomConnectOptions = {};
  const rtcConfig = rtcConfigFor(url);
  if (rtcConfig) options.rtcConfig = rtcConfig;
  return options;
}

const END_REASONS: Partial<Record<DisconnectReason, EndReason>> = {
  [DisconnectReason.ROOM_DELETED]: 'ended',
  [DisconnectReason.ROOM_CLOSED]: 'ended',
  [DisconnectReason.PARTICIPANT_REMOVED]: 'removed',
  [DisconnectReason.DUPLICATE_IDENTITY]: 'duplicate',
  [DisconnectReason.CLIENT_INITIATED]: 'left',
};

/** Room metadata, written only by the tool; a room created before a field existed lacks it. */
export type RoomMetadata = Partial<ToolRoomMetadata>;

export function parseRoomMetadata(metadata: string | undefined): RoomMetadata {
  return parseObject(metadata) as RoomMetadata;
}

function parseObject(json: string | undefined): object {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

type Listeners = { [K in keyof RoomConnectionEvents]: Set<RoomConnectionEvents[K]> };

/**
 * Owns the livekit-client Room for one join: connects with the grant the server gave, renews the token
 * before it expires, rejoins with a fresh token when LiveKit's own reconnection gives up (backing off, with
 * no limit: an SFU down for minutes is rejoined when it is back), and turns the
 * Room's many events into the few the UI needs. It can exist before the join (the room page rendered
 * while the pre-join page is up): connect(grant) joins.
 */
export class RoomConnection {
  readonly room: Room;
  /** What this browser publishes (microphone, camera, screen) and from which devices. */
  readonly media: LocalMedia;
  private grant: JoinGrant | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** leave() was called: a rejoin under way stops. */
  private leaving = false;
  private connectedOnce = false;
  private rejoinRunning = false;
  /** Ends the wait between rejoin attempts early (leave()). */
  private wake: (() => void) | undefined;
  private readonly listeners: Listeners = {
    connectionState: new Set(),
    participantsChanged: new Set(),
    data: new Set(),
    disconnected: new Set(),
    audioBlocked: new Set(),
    rejoining: new Set(),
  };

  constructor(private readonly options: RoomConnectionOptions) {
    this.room = newRoom();
    this.media = new LocalMedia(this.room, () => this.emit('participantsChanged'));
    this.wire();
  }

  on<K extends keyof RoomConnectionEvents>(event: K, listener: RoomConnectionEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  private emit<K extends keyof RoomConnectionEvents>(event: K, ...args: Parameters<RoomConnectionEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: typeof args) => void)(...args);
  }

  /** Ours as the server granted it; empty before the join. */
  get identity(): string {
    return this.grant?.identity ?? '';
  }

  /** The Room's state, except that our own rejoin reads as Reconnecting throughout (never Disconnected). */
  get state(): ConnectionState {
    const state = this.room.state;
    return this.rejoinRunning && state !== ConnectionState.Connected ? ConnectionState.Reconnecting : state;
  }

  /** Joins with `grant`, capturing from `devices` (the pre-join page's choice) once the user turns them on. */
  connect(grant: JoinGrant, devices: Devices = {}): Promise<void> {
    this.grant = grant;
    this.media.useDevices(devices);
    return this.join(grant);
  }

  private async join(grant: JoinGrant): Promise<void> {
    // User timing marks: the join latency bench reads where a join's time goes (and so can a profile).
    performance.mark('room:connect');
    await this.room.connect(grant.url, grant.token, connectOptions(grant.url));
    performance.mark('room:connected');
    this.connectedOnce = true;
    this.scheduleRenewal();
    this.emit('participantsChanged');
  }

  /** Leaves the room, or stops a rejoin under way; emits `disconnected('left')`. */
  async leave(): Promise<void> {
    this.leaving = true;
    this.wake?.();
    await this.room.disconnect();
    // Between rejoin attempts there is no connection to close, so no Disconnected event either.
    if (this.rejoinRunning) this.close('left');
  }

  /** The tool's room metadata (title, lock, chat switch). */
  get roomMetadata(): RoomMetadata {
    return parseRoomMetadata(this.room.metadata);
  }

  /**
   * Raises or lowers the local hand: the tool sets the `hand` attribute on the SFU, which then tells every
   * client (this one too) through an attributes change.
   */
  async setHandRaised(raised: boolean): Promise<void> {
    if (!this.options.setHand) throw new Error('this connection cannot raise a hand');
    await this.options.setHand(raised);
  }

  /** Sends a JSON message to everyone on `topic` (reliable); the SFU refuses it without canPublishData. */
  async sendData(message: unknown, topic: string): Promise<void> {
    const payload = new TextEncoder().encode(JSON.stringify(message));
    await this.room.localParticipant.publishData(payload, { reliable: true, topic });
  }

  /** Plays remote audio after the browser blocked autoplay (must run in a click handler). */
  startAudio(): Promise<void> {
    return this.room.startAudio();
  }

  private wire(): void {
    const room = this.room;
    const changed = () => this.emit('participantsChanged');
    for (const event of [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.ActiveSpeakersChanged,
      RoomEvent.ParticipantMetadataChanged,
      RoomEvent.ParticipantAttributesChanged,
      RoomEvent.ParticipantNameChanged,
      RoomEvent.ConnectionQualityChanged,
      RoomEvent.RoomMetadataChanged,
    ] as const) {
      room.on(event, changed);
    }
    const firstVideo = (track: Track) => {
      if (track.kind !== Track.Kind.Video) return;
      performance.mark('room:video-subscribed');
      room.off(RoomEvent.TrackSubscribed, firstVideo);
    };
    room.on(RoomEvent.TrackSubscribed, firstVideo);
    room.on(RoomEvent.SignalConnected, () => performance.mark('room:signal-connected'));
    room.on(RoomEvent.ParticipantPermissionsChanged, (_previous, participant) => {
      // The teacher allowed a source again: bring back what the user had on.
      if (participant === room.localParticipant) void this.media.restoreWanted();
      changed();
    });
    room.on(RoomEvent.ConnectionStateChanged, (state) => {
      // Between and during our own rejoin attempts the user sees one state: reconnecting, until connected.
      const shown = this.rejoinRunning && state !== ConnectionState.Connected ? ConnectionState.Reconnecting : state;
      this.emit('connectionState', shown);
    });
    room.on(RoomEvent.AudioPlaybackStatusChanged, () => this.emit('audioBlocked', !room.canPlaybackAudio));
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic, _encryption, stampedIdentity) => {
      // The identity the SFU stamped, not just the participant object: data can arrive before this client
      // has heard of its sender, and "no participant" must never pass for the tool.
      const from = stampedIdentity || participant?.identity || undefined;
      const sender = participant ?? (from ? room.getParticipantByIdentity(from) : undefined);
      if (!mayAct(topic, { identity: from, role: sender ? roleOf(sender) : undefined })) return;
      let message: unknown;
      try {
        message = JSON.parse(new TextDecoder().decode(payload));
      } catch {
        return;
      }
      this.emit('data', message, topic, from);
    });
    room.on(RoomEvent.Disconnected, (reason) => void this.onDisconnected(reason));
  }

  private async onDisconnected(reason: DisconnectReason | undefined): Promise<void> {
    // A failed attempt of our own rejoin also ends in Disconnected: the loop below handles it.
    if (this.rejoinRunning) return;
    const end = reason === undefined ? undefined : END_REASONS[reason];
    const fetchGrant = this.options.fetchGrant;
    if (end || this.closed || this.leaving || !fetchGrant) {
      return this.close(end ?? (this.closed || this.leaving ? 'left' : 'lost'));
    }
    // The first connect failed: connect()'s caller hears it from the rejected promise.
    if (!this.connectedOnce) return;
    await this.rejoin(fetchGrant);
  }

  /**
   * LiveKit's own reconnection gave up (network gone, SFU restarted or down for minutes): rejoin with a
   * fresh token, backing off, for as long as it takes, until the tool refuses (class ended, removed,
   * locked) or the user leaves. A fresh token also recreates the room on a restarted SFU.
   */
  private async rejoin(fetchGrant: () => Promise<JoinGrant>): Promise<void> {
    this.rejoinRunning = true;
    try {
      for (let attempt = 1; !this.closed && !this.leaving; attempt++) {
        this.emit('connectionState', ConnectionState.Reconnecting);
        try {
          const grant = await fetchGrant();
          this.grant = grant;
          if (this.leaving) break;
          await this.join(grant);
          this.emit('rejoining', undefined);
          await this.media.restoreWanted();
          return;
        } catch (err) {
          const refused = this.options.endReasonOf?.(err);
          if (refused) return this.close(refused);
          if (this.leaving) break;
          const delay = rejoinDelayMs(attempt);
          this.emit('rejoining', { attempt, at: Date.now() + delay });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
      this.close('left');
    } finally {
      this.rejoinRunning = false;
    }
  }

  private close(reason: EndReason): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.renewTimer);
    this.emit('disconnected', reason);
  }

  /** Keeps a token that is still valid for the next (re)connection; the current one dies after ~10 min. */
  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const fetchGrant = this.options.fetchGrant;
    if (!fetchGrant || !this.grant) return;
    const now = this.options.now?.() ?? Date.now();
    const delay = Math.max(MIN_RENEW_DELAY_MS, Date.parse(this.grant.expiresAt) - RENEW_BEFORE_MS - now);
    this.renewTimer = setTimeout(() => {
      if (this.closed) return;
      fetchGrant().then(
        (grant) => {
          this.grant = grant;
          this.scheduleRenewal();
        },
        (err: unknown) => {
          const refused = this.options.endReasonOf?.(err);
          if (refused) {
            void this.room.disconnect(false);
            this.close(refused);
          } else this.renewTimer = setTimeout(() => this.scheduleRenewal(), 30_000);
        },
      );
    }, delay);
  }
}
