/** The data-channel topic chat messages travel on. */
export const CHAT_TOPIC = 'chat';
/** The longest message, in characters (Unicode code points, so an emoji counts as one). */
export const MAX_TEXT = 1000;
/** Older messages are dropped past this many: a long class must not grow the page without bound. */
export const MAX_MESSAGES = 500;
/** At most this many sends per window; the SFU has no rate limit of its own for data messages. */
export const SEND_LIMIT = 5;
export const SEND_WINDOW_MS = 5000;

/**
 * What goes on the wire (topic 'chat'). Everything else about the message (who sent it) comes from the
 * SFU, never from the payload: a client can put anything in here.
 */
export interface ChatWireMessage {
  type: 'chat';
  /** Unique per sender; with the sender's identity it names the message (dedupe). */
  id: string;
  text: string;
  /** ISO 8601 on the sender's clock; checked for shape only, since that clock is not ours. */
  sentAt: string;
}

/** The sender's role: Role spelled out, so this module imports nothing (Node unit tests load it as is). */
export type ChatRole = 'instructor' | 'participant' | 'observer';

/** One message as the list shows it. */
export interface ChatEntry {
  id: string;
  /** The sender's identity as stamped by the SFU (or ours, for what we sent). */
  from: string;
  /** The sender's name and role when the message arrived: they stay right after the sender leaves. */
  name: string;
  role: ChatRole;
  mine: boolean;
  text: string;
  /** When it arrived here (ms since the epoch): arrival order is list order, and senders' clocks drift. */
  at: number;
}

export interface ChatState {
  messages: ChatEntry[];
  /** Messages from others that arrived while the panel was not visible. */
  unread: number;
  visible: boolean;
}

export type ChatAction =
  { type: 'add'; entry: ChatEntry } | { type: 'visible'; visible: boolean } | { type: 'markRead' };

export const initialChatState: ChatState = { messages: [], unread: 0, visible: false };

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Control characters other than tab and line feed: invisible, and some (bidi overrides aside) break layout.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_GLOBAL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Length in code points, the unit MAX_TEXT is in (UTF-16 length would count an emoji twice). */
export const textLength = (text: string): number => [...text].length;

/**
 * What the composer would send for `draft`: line breaks as \n, control characters dropped, trimmed.
 * Empty when there is nothing to send.
 */
export function cleanText(draft: string): string {
  return draft.replace(/\r\n?/g, '\n').replace(CONTROL_GLOBAL, '').trim();
}

/** Whether cleaned `text` may be sent: 1..MAX_TEXT characters. */
export function isSendable(text: string): boolean {
  const length = textLength(text);
  return length >= 1 && length <= MAX_TEXT;
}

/**
 * A chat message from the data channel, or undefined when it is anything else or malformed (wrong type,
 * missing or extra-long fields, empty or too-long text, control characters). Unknown extra fields are
 * ignored, never used: a `name` or `identity` in the payload must not decide who the sender is.
 */
export function parseChatMessage(message: unknown): ChatWireMessage | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { type, id, text, sentAt } = message as Record<string, unknown>;
  if (type !== 'chat') return undefined;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return undefined;
  if (typeof sentAt !== 'string' || !ISO_PATTERN.test(sentAt) || Number.isNaN(Date.parse(sentAt))) return undefined;
  if (typeof text !== 'string') return undefined;
  const normalized = text.replace(/\r\n?/g, '\n');
  if (CONTROL.test(normalized)) return undefined;
  const trimmed = normalized.trim();
  if (!isSendable(trimmed)) return undefined;
  return { type: 'chat', id, text: trimmed, sentAt };
}

/** A fresh message for the wire; `text` must already be cleaned. */
export function outgoingMessage(text: string, now: Date = new Date()): ChatWireMessage {
  return { type: 'chat', id: newMessageId(), text, sentAt: now.toISOString() };
}

/** 128 random bits as hex. getRandomValues, not randomUUID: the latter needs a secure context. */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'add': {
      const { entry } = action;
      // The same message twice (a retransmission, or our own coming back) is shown once.
      if (state.messages.some((m) => m.id === entry.id && m.from === entry.from)) return state;
      const messages = [...state.messages, entry].slice(-MAX_MESSAGES);
      const unread = entry.mine || state.visible ? state.unread : Math.min(state.unread + 1, messages.length);
      return { ...state, messages, unread };
    }
    case 'visible':
      if (action.visible === state.visible && (!action.visible || state.unread === 0)) return state;
      return { ...state, visible: action.visible, unread: action.visible ? 0 : state.unread };
    case 'markRead':
      return state.unread === 0 ? state : { ...state, unread: 0 };
  }
}

export type ThrottleResult = { allowed: true; recent: number[] } | { allowed: false; retryInMs: number };

/**
 * Whether one more send fits in the sliding window, given the times (ms) of earlier sends. When it does,
 * `recent` is the list to keep (old times dropped, `now` added).
 */
export function checkThrottle(
  sentAt: readonly number[],
  now: number,
  limit = SEND_LIMIT,
  windowMs = SEND_WINDOW_MS,
): ThrottleResult {
  const recent = sentAt.filter((time) => now - time < windowMs);
  if (recent.length < limit) return { allowed: true, recent: [...recent, now] };
  const oldest = Math.min(...recent);
  return { allowed: false, retryInMs: oldest + windowMs - now };
}

/** Who may write, as the composer shows it. */
export type ComposerMode =
  /** Writing is allowed. */
  | 'open'
  /** A teacher, while chat is off for students: writing is allowed, with a hint. */
  | 'open-students-off'
  /** A student while the teacher turned chat off. */
  | 'off'
  /** Observers never write. */
  | 'observer'
  /** A teacher without the data permission (should not happen): no composer. */
  | 'unavailable';

export function composerMode(options: {
  canSend: boolean;
  chatEnabled: boolean;
  isLeader: boolean;
  role: ChatRole;
}): ComposerMode {
  const { canSend, chatEnabled, isLeader, role } = options;
  if (isLeader) {
    if (!canSend) return 'unavailable';
    return chatEnabled ? 'open' : 'open-students-off';
  }
  if (role === 'observer') return 'observer';
  // The permission is what the SFU enforces; the room switch can be ahead of it right after a toggle.
  return canSend && chatEnabled ? 'open' : 'off';
}
