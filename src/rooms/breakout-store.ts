/**
 * A breakout round as insert-only facts (STORE.md): the round opened with its plan, each later placement of
 * one person (`seq` counts that person's moves, so the latest placement wins), and the round closed. The
 * natural ids make every fact a unique insert; the round is derived from its facts, never updated.
 */
export type BreakoutFact =
  | {
      kind: 'opened';
      roomKey: string;
      round: number;
      sessionId?: string;
      count: number;
      placements: Record<string, number>;
      names: Record<string, string>;
      at: Date;
    }
  | {
      kind: 'placed';
      roomKey: string;
      round: number;
      identity: string;
      name: string;
      room: number;
      seq: number;
      at: Date;
    }
  | { kind: 'closed'; roomKey: string; round: number; at: Date; returnAt: Date };

export interface BreakoutRound {
  roomKey: string;
  round: number;
  sessionId?: string;
  count: number;
  openedAt: Date;
  /** identity -> room number: each person's latest placement. */
  placements: Record<string, number>;
  names: Record<string, string>;
  /** identity -> the seq of their latest placement (0: the plan's). */
  seqs: Record<string, number>;
  closedAt?: Date;
  /** When everyone is back in the main room (the end of the closing countdown). */
  returnAt?: Date;
}

export interface BreakoutStore {
  /** Inserts the round's opening fact: false when that round number of the room was opened already. */
  append(fact: BreakoutFact): Promise<boolean>;
  /** The facts of the room's latest round (opening first), or none. */
  latest(roomKey: string): Promise<BreakoutFact[]>;
}

/** The natural id of a fact: one opening and one closing per round, one placement per person and seq. */
export function factId(fact: BreakoutFact): string {
  const round = `${fact.roomKey} ${fact.round}`;
  if (fact.kind === 'placed') return `${round} placed ${fact.identity} ${fact.seq}`;
  return `${round} ${fact.kind}`;
}

/** The round its facts describe, in any order; undefined without its opening fact. */
export function roundOf(facts: readonly BreakoutFact[]): BreakoutRound | undefined {
  const opened = facts.find((f) => f.kind === 'opened');
  if (!opened || opened.kind !== 'opened') return undefined;
  const round: BreakoutRound = {
    roomKey: opened.roomKey,
    round: opened.round,
    sessionId: opened.sessionId,
    count: opened.count,
    openedAt: opened.at,
    placements: { ...opened.placements },
    names: { ...opened.names },
    seqs: Object.fromEntries(Object.keys(opened.placements).map((id) => [id, 0])),
  };
  const moves = facts.filter((f) => f.kind === 'placed' && f.round === opened.round);
  for (const f of moves.sort((a, b) => (a.kind === 'placed' && b.kind === 'placed' ? a.seq - b.seq : 0))) {
    if (f.kind !== 'placed' || f.seq <= (round.seqs[f.identity] ?? -1)) continue;
    round.placements[f.identity] = f.room;
    round.names[f.identity] = f.name;
    round.seqs[f.identity] = f.seq;
  }
  const closed = facts.find((f) => f.kind === 'closed' && f.round === opened.round);
  if (closed?.kind === 'closed') {
    round.closedAt = closed.at;
    round.returnAt = closed.returnAt;
  }
  return round;
}
