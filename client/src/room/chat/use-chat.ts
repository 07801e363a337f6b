import { useCallback, useEffect, useReducer, useRef } from 'preact/hooks';
import type { Role } from '../../api/contract';
import { roleOf } from '../participant-model';
import type { RoomConnection } from '../room-connection';
import {
  CHAT_TOPIC,
  MAX_TEXT,
  chatReducer,
  checkThrottle,
  cleanText,
  initialChatState,
  outgoingMessage,
  parseChatMessage,
  textLength,
  type ChatEntry,
  type ChatWireMessage,
} from './chat-model';

/** The part of RoomConnection the chat uses. */
export type ChatConnection = Pick<RoomConnection, 'on' | 'sendData' | 'identity' | 'room'>;

export interface UseChatOptions {
  /** Whether the chat panel is on screen: what arrives meanwhile is read, not unread. */
  visible?: boolean;
}

export type SendResult =
  | { ok: true }
  | { ok: false; reason: 'empty' | 'failed' }
  | { ok: false; reason: 'tooLong'; over: number }
  | { ok: false; reason: 'throttled'; retryInMs: number };

/** The chat of one room, as `useChat` returns it; pass it to `<ChatPanel chat={...}>`. */
export interface Chat {
  /** Oldest first, the last MAX_MESSAGES only. */
  messages: readonly ChatEntry[];
  /** Messages from others since the panel was last visible: the badge on the chat button. */
  unread: number;
  /** The local participant's role as the SFU granted it (observers get a read-only panel). */
  localRole: Role;
  /** Cleans and sends a draft; resolves (never rejects) with what happened. */
  send: (draft: string) => Promise<SendResult>;
  /** Tells the chat whether its panel is on screen (becoming visible marks everything read). */
  setVisible: (visible: boolean) => void;
  markRead: () => void;
}

/** The list entry for `message` from `from`, with the name and role the room knows for that identity now. */
function entryFor(conn: ChatConnection, from: string, message: ChatWireMessage, mine: boolean): ChatEntry {
  const participant = mine ? conn.room.localParticipant : conn.room.getParticipantByIdentity(from);
  return {
    id: message.id,
    from,
    name: participant?.name || from,
    role: participant ? roleOf(participant) : 'participant',
    mine,
    text: message.text,
    at: Date.now(),
  };
}

/**
 * The room's chat over the LiveKit data channel (topic 'chat'): receives, validates and keeps messages,
 * counts unread ones while the panel is hidden, and sends with a client-side throttle. LiveKit does not echo
 * our own messages, so a sent one is added here once the SFU took it.
 */
export function useChat(conn: ChatConnection, options: UseChatOptions = {}): Chat {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const sentTimes = useRef<number[]>([]);

  useEffect(
    () =>
      conn.on('data', (message, topic, from) => {
        // Without a sender identity (a server-sent message) nobody can be named: not chat.
        if (topic !== CHAT_TOPIC || !from) return;
        const parsed = parseChatMessage(message);
        if (parsed) dispatch({ type: 'add', entry: entryFor(conn, from, parsed, from === conn.identity) });
      }),
    [conn],
  );

  const { visible } = options;
  useEffect(() => {
    if (visible !== undefined) dispatch({ type: 'visible', visible });
  }, [visible]);

  const send = useCallback(
    async (draft: string): Promise<SendResult> => {
      const text = cleanText(draft);
      if (!text) return { ok: false, reason: 'empty' };
      const length = textLength(text);
      if (length > MAX_TEXT) return { ok: false, reason: 'tooLong', over: length - MAX_TEXT };
      const throttle = checkThrottle(sentTimes.current, Date.now());
      if (!throttle.allowed) return { ok: false, reason: 'throttled', retryInMs: throttle.retryInMs };
      sentTimes.current = throttle.recent;
      const message = outgoingMessage(text);
      try {
        await conn.sendData(message, CHAT_TOPIC);
      } catch {
        // The SFU refused (no data permission any more) or the connection is down.
        return { ok: false, reason: 'failed' };
      }
      dispatch({ type: 'add', entry: entryFor(conn, conn.identity, message, true) });
      return { ok: true };
    },
    [conn],
  );

  const setVisible = useCallback((next: boolean) => dispatch({ type: 'visible', visible: next }), []);
  const markRead = useCallback(() => dispatch({ type: 'markRead' }), []);

  return {
    messages: state.messages,
    unread: state.unread,
    localRole: roleOf(conn.room.localParticipant),
    send,
    setVisible,
    markRead,
  };
}
