/* global window, AudioContext */
/**
 * The audience of bench/lecture.ts: many livekit-client Rooms in one page, each a real WebRTC subscriber on
 * the SFU with a grant the tool gave a launched student. A listener subscribes to every microphone and no
 * camera (nothing is rendered, so a camera would only cost this machine decoding), and attaches nothing:
 * the browser receives the audio without decoding it for playout.
 */
import { Room, RoomEvent, Track } from 'livekit-client';

const audioContext = new AudioContext();
/** Rooms by identity, for the later checks. */
const rooms = new Map();
/** When each listener first had each speaker's microphone subscribed: identity -> speaker -> ms. */
const heard = new Map();

const isMicrophone = (publication) => publication.source === Track.Source.Microphone;

/**
 * Connects one listener; resolves with the milliseconds from connect() to the speaker's microphone
 * subscribed, or rejects after `timeoutMs`.
 */
async function listen({ url, token, identity }, speaker, timeoutMs) {
  // One AudioContext for the page: each Room would otherwise open its own on connect (a browser has one).
  const room = new Room({ adaptiveStream: true, dynacast: true, webAudioMix: { audioContext } });
  rooms.set(identity, room);
  const mine = new Map();
  heard.set(identity, mine);
  const started = performance.now();
  const hears = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${identity}: no ${speaker} audio`)), timeoutMs);
    room.on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
      if (!isMicrophone(publication)) return;
      mine.set(participant.identity, performance.now());
      if (participant.identity === speaker) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
  });
  hears.catch(() => undefined);
  room.on(RoomEvent.TrackPublished, (publication) => {
    if (isMicrophone(publication)) publication.setSubscribed(true);
  });
  await room.connect(url, token, { autoSubscribe: false, rtcConfig: { iceServers: [] } });
  for (const participant of room.remoteParticipants.values())
    for (const publication of participant.trackPublications.values())
      if (isMicrophone(publication)) publication.setSubscribed(true);
  return hears;
}

/** Listeners whose connection ended after they joined. */
let dropped = 0;

/**
 * Joins every grant, `concurrency` at a time; answers each listener's join time or error. A failed join
 * is tried once more with a new Room, as the launcher rejoins.
 */
window.joinAudience = async (grants, speaker, { concurrency, timeoutMs }) => {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < grants.length) {
      const grant = grants[next++];
      for (let attempt = 1; ; attempt++) {
        try {
          const ms = await listen(grant, speaker, timeoutMs);
          rooms.get(grant.identity).once(RoomEvent.Disconnected, () => dropped++);
          results.push({ identity: grant.identity, ms, attempts: attempt });
          break;
        } catch (err) {
          await rooms.get(grant.identity)?.disconnect();
          rooms.delete(grant.identity);
          if (attempt === 2) {
            results.push({ identity: grant.identity, error: String(err), attempts: attempt });
            break;
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
};

/** What each listener may do as the SFU told it, and whether a publish is turned away. */
window.audiencePermissions = async () => {
  const all = [...rooms.values()];
  const canPublish = all.filter((r) => r.localParticipant.permissions?.canPublish).length;
  // One listener tries a microphone: the client refuses what the SFU's permissions forbid.
  let publishRefused = false;
  try {
    await all[0].localParticipant.setMicrophoneEnabled(true);
  } catch {
    publishRefused = true;
  }
  return { listeners: all.length, canPublish, publishRefused };
};

/** When (performance.now()) each listener that has `speaker`'s microphone subscribed had it first. */
window.heardFrom = (speaker) => [...heard.values()].filter((m) => m.has(speaker)).map((m) => m.get(speaker));

window.dropped = () => dropped;

/** Audio bytes received from `speaker` by up to `sample` listeners, now. */
window.bytesFrom = async (speaker, sample) => {
  const bytes = [];
  for (const room of [...rooms.values()].slice(0, sample)) {
    const publication = room.getParticipantByIdentity(speaker)?.getTrackPublication(Track.Source.Microphone);
    const receiver = publication?.track?.receiver;
    if (!receiver) {
      bytes.push(0);
      continue;
    }
    let total = 0;
    (await receiver.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp') total += s.bytesReceived ?? 0;
    });
    bytes.push(total);
  }
  return bytes;
};

window.leaveAll = () => Promise.all([...rooms.values()].map((r) => r.disconnect()));
window.ready = true;
