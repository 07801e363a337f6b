import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame, Page } from 'playwright-core';

/**
 * Inbound media read from a page's own RTCPeerConnections with getStats(). Install KEEP_PEER_CONNECTIONS
 * with context.addInitScript before the page loads: it runs in every frame (the tool inside the demo LMS
 * iframe too), so the page never has to expose its livekit Room.
 */
export const KEEP_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const kept = [];
  window.__peerConnections = kept;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); kept.push(this); }
  };
})();`;

/** A page or an iframe: anything we can run a script in. */
export type MediaContext = Page | Frame;

/** Inbound media counters summed over a page's peer connections. */
export interface InboundTotals {
  videoBytes: number;
  framesDecoded: number;
  audioBytes: number;
  audioSamples: number;
}

/** One inbound-rtp stream, with the participant whose media element plays its track (if one does). */
export interface InboundStream {
  /** `<kind>:<ssrc>`, stable across samples of the same peer connection. */
  key: string;
  kind: 'audio' | 'video';
  trackIdentifier: string;
  /** data-identity of the element playing this track: `audio[data-identity]` or the enclosing `.tile`. */
  owner?: string;
  bytesReceived: number;
  /** framesDecoded for video, totalSamplesReceived for audio. */
  units: number;
}

const READ_TOTALS = `(async () => {
  const out = { videoBytes: 0, framesDecoded: 0, audioBytes: 0, audioSamples: 0 };
  for (const pc of window.__peerConnections ?? []) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        out.videoBytes += s.bytesReceived ?? 0;
        out.framesDecoded += s.framesDecoded ?? 0;
      } else if (s.kind === 'audio') {
        out.audioBytes += s.bytesReceived ?? 0;
        out.audioSamples += s.totalSamplesReceived ?? 0;
      }
    });
  }
  return out;
})()`;

/**
 * Every inbound-rtp stream of the open peer connections. The owner comes from the DOM: the media
 * element whose srcObject holds the receiver's track (livekit-client attaches the receiver's own
 * MediaStreamTrack, whose id is the stats' trackIdentifier).
 */
const READ_STREAMS = `(async () => {
  if (!Array.isArray(window.__peerConnections)) throw new Error('KEEP_PEER_CONNECTIONS did not run in this frame');
  const owners = new Map();
  for (const el of document.querySelectorAll('audio, video')) {
    const identity = el.dataset.identity ?? el.closest('.tile[data-identity]')?.dataset.identity;
    if (!identity || !(el.srcObject instanceof MediaStream)) continue;
    for (const track of el.srcObject.getTracks()) owners.set(track.id, identity);
  }
  const out = [];
  for (const [i, pc] of window.__peerConnections.entries()) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp' || (s.kind !== 'audio' && s.kind !== 'video')) return;
      out.push({
        key: i + ':' + s.kind + ':' + s.ssrc,
        kind: s.kind,
        trackIdentifier: s.trackIdentifier ?? '',
        owner: owners.get(s.trackIdentifier),
        bytesReceived: s.bytesReceived ?? 0,
        units: (s.kind === 'video' ? s.framesDecoded : s.totalSamplesReceived) ?? 0,
      });
    });
  }
  return out;
})()`;

export const readInboundTotals = (ctx: MediaContext): Promise<InboundTotals> =>
  ctx.evaluate(READ_TOTALS) as Promise<InboundTotals>;

export const readInboundStreams = (ctx: MediaContext): Promise<InboundStream[]> =>
  ctx.evaluate(READ_STREAMS) as Promise<InboundStream[]>;

/** The streams whose bytes and frames (video) or samples (audio) rose between two samples. */
export interface FlowReport {
  /** Streams present in both samples whose counters rose, with their owner from the second sample. */
  rising: InboundStream[];
  /** Everything seen, for failure messages. */
  first: InboundStream[];
  second: InboundStream[];
}

/** Samples every context's inbound streams twice, `gapMs` apart (in parallel across contexts). */
export async function sampleFlows(contexts: MediaContext[], gapMs = 2000): Promise<FlowReport[]> {
  const first = await Promise.all(contexts.map(readInboundStreams));
  await sleep(gapMs);
  const second = await Promise.all(contexts.map(readInboundStreams));
  return contexts.map((_, i) => {
    const before = new Map((first[i] ?? []).map((s) => [s.key, s]));
    const rising = (second[i] ?? []).filter((s) => {
      const a = before.get(s.key);
      return a !== undefined && s.units > a.units && s.bytesReceived > a.bytesReceived;
    });
    return { rising, first: first[i] ?? [], second: second[i] ?? [] };
  });
}

/** A one-line-per-stream summary for assertion messages. */
export function describeFlow(report: FlowReport): string {
  const before = new Map(report.first.map((s) => [s.key, s]));
  return report.second
    .map((s) => {
      const a = before.get(s.key);
      return `${s.kind} ${s.key} owner=${s.owner ?? '?'} units ${a?.units ?? '-'} -> ${s.units}, bytes ${a?.bytesReceived ?? '-'} -> ${s.bytesReceived}`;
    })
    .join('\n');
}
