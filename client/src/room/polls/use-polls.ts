import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { PollDraftRequest, PollDto } from '../../api/contract';
import type { RoomConnection } from '../room-connection';
import { isPollPush, openPoll, pollBadge, POLL_TOPIC } from './poll-model';

export interface Polls {
  /** The latest class session's polls, oldest first. */
  polls: PollDto[];
  /** 1 while an open poll waits that the panel has not shown yet. */
  badge: number;
  /** Polls shown or dismissed (the vote card stays away for them). */
  seen: ReadonlySet<string>;
  markSeen: (pollId: string) => void;
  refresh: () => Promise<void>;
  create: (draft: PollDraftRequest) => Promise<void>;
  vote: (pollId: string, choices: number[]) => Promise<void>;
  close: (pollId: string) => Promise<void>;
  share: (pollId: string) => Promise<void>;
}

/**
 * The room's polls from /api/room/polls: fetched once connected and again on each server push on topic
 * 'poll' (RoomConnection passes only the tool's own messages on it), so a lost push only delays.
 */
export function usePolls(
  api: ApiClient,
  conn: Pick<RoomConnection, 'on'>,
  { enabled, visible }: { enabled: boolean; visible: boolean },
): Polls {
  const [polls, setPolls] = useState<PollDto[]>([]);
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set());
  // One fetch at a time; a push during it asks for one more afterwards (the answer may predate the push).
  const running = useRef<Promise<void>>();
  const again = useRef(false);

  const refresh = useCallback((): Promise<void> => {
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const run = async () => {
      do {
        again.current = false;
        try {
          setPolls((await api.polls()).polls);
        } catch {
          // The next push or action fetches again.
        }
      } while (again.current);
      running.current = undefined;
    };
    running.current = run();
    return running.current;
  }, [api]);

  useEffect(() => {
    if (!enabled) return;
    void refresh();
    return conn.on('data', (message, topic) => {
      if (topic === POLL_TOPIC && isPollPush(message)) void refresh();
    });
  }, [conn, enabled, refresh]);

  const markSeen = useCallback((pollId: string) => setSeen((s) => (s.has(pollId) ? s : new Set([...s, pollId]))), []);
  const open = openPoll(polls);
  useEffect(() => {
    if (visible && open) markSeen(open.id);
  }, [visible, open?.id, markSeen]);

  const after = (action: () => Promise<unknown>) => async () => {
    try {
      await action();
    } finally {
      await refresh();
    }
  };
  return {
    polls,
    badge: visible ? 0 : pollBadge(polls, seen),
    seen,
    markSeen,
    refresh,
    create: (draft) => after(() => api.createPoll(draft))(),
    vote: (pollId, choices) => after(() => api.votePoll(pollId, choices))(),
    close: (pollId) => after(() => api.pollAction(pollId, 'close'))(),
    share: (pollId) => after(() => api.pollAction(pollId, 'share'))(),
  };
}
