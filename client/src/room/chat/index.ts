/**
 * In-session chat over the LiveKit data channel. Mount it as:
 *
 * ```tsx
 * const chat = useChat(conn, { visible: panel === 'chat' });
 * // chat.unread: the count on the chat button (0 while the panel is visible)
 * <ChatPanel
 *   chat={chat}
 *   visible={panel === 'chat'}
 *   canSend={local?.participant.permissions?.canPublishData ?? false}
 *   chatEnabled={conn.roomMetadata.chatEnabled ?? true}
 *   isLeader={me.user.role === 'instructor'}
 * />
 * ```
 *
 * Keep the panel mounted while hidden (it hides itself), so a draft survives closing it. Call `useChat` in
 * the page, not inside the panel: messages must be received (and counted unread) while the panel is closed.
 * Wire format, topic 'chat': `{ type: 'chat', id, text, sentAt }` (see ChatWireMessage); the sender is
 * the identity the SFU stamps on the packet, never anything in the payload.
 */
export { ChatPanel, type ChatPanelProps } from './chat-panel';
export { useChat, type Chat, type ChatConnection, type SendResult, type UseChatOptions } from './use-chat';
export { CHAT_TOPIC, MAX_TEXT, type ChatEntry, type ChatWireMessage } from './chat-model';
