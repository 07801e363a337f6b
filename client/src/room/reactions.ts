import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../i18n';
import {
  addReaction,
  parseReaction,
  REACTION_MS,
  REACTION_TOPIC,
  REACTIONS,
  type Reaction,
  type ReactionKey,
} from './reaction-model';
import type { RoomConnection } from './room-connection';

export { REACTIONS, type ReactionKey };

// Every reaction's name is a message of the catalogs.
REACTIONS satisfies Record<ReactionKey, { emoji: string; name: MessageKey }>;

/** The reactions on screen (by sender) and a way to send one; each goes after REACTION_MS. */
export function useReactions(conn: RoomConnection) {
  const [shown, setShown] = useState<Map<string, Reaction>>(new Map());
  const show = (identity: string, key: ReactionKey) =>
    setShown((current) => addReaction(current, identity, key, Date.now()) ?? current);

  useEffect(
    () =>
      conn.on('data', (message, topic, from) => {
        const key = topic === REACTION_TOPIC ? parseReaction(message) : undefined;
        if (key && from) show(from, key);
      }),
    [conn],
  );
  useEffect(() => {
    if (shown.size === 0) return;
    const timer = setTimeout(() => {
      const now = Date.now();
      setShown((current) => new Map([...current].filter(([, r]) => now - r.at < REACTION_MS)));
    }, REACTION_MS);
    return () => clearTimeout(timer);
  }, [shown]);

  return {
    shown,
    async send(key: ReactionKey): Promise<void> {
      if (!addReaction(shown, conn.identity, key, Date.now())) return;
      await conn.sendData({ type: 'reaction', key }, REACTION_TOPIC);
      show(conn.identity, key);
    },
  };
}
