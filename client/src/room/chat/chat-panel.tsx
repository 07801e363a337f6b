import { useEffect } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n';
import { composerMode, type ComposerMode } from './chat-model';
import { Composer } from './composer';
import { MessageList } from './message-list';
import type { Chat } from './use-chat';
import './chat.css';

export interface ChatPanelProps {
  /** What `useChat(conn)` returned. */
  chat: Chat;
  /** The local participant's canPublishData permission: what the SFU will actually accept. */
  canSend: boolean;
  /** The room-level switch (room metadata `chatEnabled`): off means students cannot write. */
  chatEnabled: boolean;
  /** Instructors can always write and are told when students cannot. */
  isLeader: boolean;
  /** Whether the panel is on screen; while false it stays mounted (draft and scroll kept) but hidden. */
  visible: boolean;
}

/** Why there is no composer, for each mode that has none. */
const CLOSED: Partial<Record<ComposerMode, MessageKey>> = {
  off: 'chat.off.student',
  observer: 'chat.observer',
  unavailable: 'chat.unavailable',
};

/**
 * The chat side panel: heading, the message log and, when the user may write, the composer (otherwise a
 * sentence saying why not). Becoming visible marks every message read.
 */
export function ChatPanel({ chat, canSend, chatEnabled, isLeader, visible }: ChatPanelProps) {
  const { setVisible } = chat;
  useEffect(() => setVisible(visible), [visible, setVisible]);
  const mode = composerMode({ canSend, chatEnabled, isLeader, role: chat.localRole });
  const closed = CLOSED[mode];

  return (
    <section class="chat-panel" aria-labelledby="chat-heading" hidden={!visible}>
      <h2 id="chat-heading">{t('chat.heading')}</h2>
      <MessageList messages={chat.messages} visible={visible} />
      {closed ? (
        <p class="notice chat-closed">{t(closed)}</p>
      ) : (
        <Composer onSend={chat.send} notice={mode === 'open-students-off' ? t('chat.off.forStudents') : undefined} />
      )}
    </section>
  );
}
