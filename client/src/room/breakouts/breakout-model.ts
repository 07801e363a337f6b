/**
 * Where this browser belongs during breakouts, as pure functions of the server's state (no livekit-client
 * import, so Node unit tests load it as is).
 */

/** What these functions read of the server's BreakoutState (contract.ts), spelled out: this file imports nothing. */
export interface BreakoutState {
  place: number;
  round?: { count: number; returnAt?: string; rooms: Array<{ room: number; title: string }> };
}

/** The breakout a LiveKit room name is (`<class room>-b<round>-<room>`), or 0 for the main room. */
export function roomNumberOf(roomName: string): number {
  const m = /-b\d+-(\d+)$/.exec(roomName);
  return m ? Number(m[1]) : 0;
}

/**
 * The room to be in: a learner's placement; for a leader the breakout they chose to visit while the round
 * is open, else the main room. Once the countdown is over everyone is back in the main room.
 */
export function targetRoom(state: BreakoutState, leader: boolean, visit: number | undefined, now: number): number {
  const round = state.round;
  if (!round) return 0;
  if (round.returnAt && Date.parse(round.returnAt) <= now) return 0;
  if (leader) return visit && visit <= round.count ? visit : 0;
  return state.place;
}

/** "0:25": the time left until `returnAt`, never below zero. */
export function countdownText(returnAt: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(returnAt) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The title of room `n` in the round (its server title), or undefined for the main room. */
export function titleOf(state: BreakoutState, n: number): string | undefined {
  return n ? state.round?.rooms.find((r) => r.room === n)?.title : undefined;
}

/** A hand-made plan: everyone the leader sees starts in a room, spread over them in order. */
export function spread(identities: readonly string[], count: number, kept: Readonly<Record<string, number>>) {
  const plan: Record<string, number> = {};
  identities.forEach((id, i) => {
    const room = kept[id];
    plan[id] = room && room <= count ? room : (i % count) + 1;
  });
  return plan;
}
