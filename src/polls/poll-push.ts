/** The data topic of the tool's poll pushes; clients trust it only from the server (data-policy.ts). */
export const POLL_TOPIC = 'poll';
export type PollTopic = typeof POLL_TOPIC;
/** Votes arrive in bursts: the class hears at most one tally push per room this often. */
export const TALLY_PUSH_MS = 500;

export interface PollPushDeps {
  send(roomKey: string, payload: { type: 'changed'; pollId: string }): Promise<void>;
  intervalMs?: number;
  now?: () => number;
  /** setTimeout by default (unref'd: a pending push never holds the process open). */
  schedule?: (run: () => void, ms: number) => void;
  /** A push that failed (the SFU down, the room gone): logged, never thrown (a trailing push has no caller). */
  onError?: (err: unknown, roomKey: string) => void;
}

/**
 * Tells a room that a poll changed. `now` sends at once (created, closed, shared); `soon` sends at most
 * once per interval and room, with a trailing push so the last vote of a burst is heard. Clients re-fetch
 * on a push, so a lost one only delays what they show.
 */
export function createPollPush(deps: PollPushDeps) {
  const interval = deps.intervalMs ?? TALLY_PUSH_MS;
  const now = deps.now ?? Date.now;
  const schedule = deps.schedule ?? ((run, ms) => void setTimeout(run, ms).unref());
  const lastAt = new Map<string, number>();
  const pending = new Set<string>();

  const send = async (roomKey: string, pollId: string): Promise<void> => {
    const at = now();
    // Rooms whose last push is long past need no entry: the map stays as small as the live rooms.
    if (lastAt.size > 1000) for (const [key, last] of lastAt) if (at - last > interval) lastAt.delete(key);
    lastAt.set(roomKey, at);
    try {
      await deps.send(roomKey, { type: 'changed', pollId });
    } catch (err) {
      deps.onError?.(err, roomKey);
    }
  };

  return {
    now: send,
    soon(roomKey: string, pollId: string): void {
      if (pending.has(roomKey)) return;
      const wait = (lastAt.get(roomKey) ?? -Infinity) + interval - now();
      if (wait <= 0) {
        void send(roomKey, pollId);
        return;
      }
      pending.add(roomKey);
      schedule(() => {
        pending.delete(roomKey);
        void send(roomKey, pollId);
      }, wait);
    },
  };
}

export type PollPush = ReturnType<typeof createPollPush>;
