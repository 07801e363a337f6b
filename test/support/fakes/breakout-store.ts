import { factId, type BreakoutFact, type BreakoutStore } from '../../../src/rooms/breakout-store.js';

/** Breakout facts in memory, with the real store's unique ids: a second insert of one id is refused. */
export class MemoryBreakoutStore implements BreakoutStore {
  readonly facts = new Map<string, BreakoutFact>();

  async append(fact: BreakoutFact): Promise<boolean> {
    const id = factId(fact);
    if (this.facts.has(id)) return false;
    this.facts.set(id, structuredClone(fact));
    return true;
  }

  async latest(roomKey: string): Promise<BreakoutFact[]> {
    const mine = [...this.facts.values()].filter((f) => f.roomKey === roomKey);
    const round = Math.max(0, ...mine.filter((f) => f.kind === 'opened').map((f) => f.round));
    return mine.filter((f) => f.round === round).map((f) => structuredClone(f));
  }
}
