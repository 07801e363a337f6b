import { useLayoutEffect, useRef } from 'preact/hooks';
import { currentLocale, t } from '../../i18n';
import type { ChatEntry } from './chat-model';

/** Within this many pixels of the end counts as "at the bottom" (zoom and rounding leave a few). */
const BOTTOM_SLACK_PX = 24;

let timeFormat: { locale: string; format: Intl.DateTimeFormat } | undefined;

/** The hour and minute in the user's locale (one formatter per locale: building one is not cheap). */
function formatTime(at: number): string {
  const locale = currentLocale();
  if (timeFormat?.locale !== locale) {
    timeFormat = { locale, format: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }) };
  }
  return timeFormat.format.format(at);
}

function Message({ entry }: { entry: ChatEntry }) {
  return (
    <li class={entry.mine ? 'chat-message mine' : 'chat-message'}>
      <p class="chat-meta">
        {/* bdi: a right-to-left name must not reorder the "(you)" and the time around it. */}
        <bdi class="chat-name">{entry.name}</bdi>
        {entry.mine && <span class="chat-you"> {t('chat.you')}</span>}{' '}
        {entry.role === 'instructor' && <span class="badge role-instructor">{t('role.instructor')}</span>}{' '}
        <time class="chat-time" dateTime={new Date(entry.at).toISOString()}>
          {formatTime(entry.at)}
        </time>
      </p>
      {/* Plain text only: Preact escapes it, links stay text, and CSS keeps the line breaks. */}
      <p class="chat-text" dir="auto">
        {entry.text}
      </p>
    </li>
  );
}

/**
 * The messages as a polite live log. It follows new messages only when the reader is already at the bottom
 * (or sent the message), so scrolling back to read is never yanked away.
 */
export function MessageList({ messages, visible }: { messages: readonly ChatEntry[]; visible: boolean }) {
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const last = messages[messages.length - 1];

  const onScroll = () => {
    const el = log.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
  };

  // `last`, not the length: at the cap the length stays the same while messages keep coming.
  useLayoutEffect(() => {
    const el = log.current;
    if (!el || !visible) return;
    if (atBottom.current || last?.mine) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    }
  }, [last, visible]);

  return (
    // Focusable so keyboard users can scroll it.
    <div
      ref={log}
      class="chat-log"
      role="log"
      aria-live="polite"
      aria-label={t('chat.log.label')}
      tabIndex={0}
      onScroll={onScroll}
    >
      {messages.length === 0 ? (
        <p class="hint chat-empty">{t('chat.empty')}</p>
      ) : (
        <ol class="chat-messages">
          {messages.map((entry) => (
            <Message key={`${entry.from}\n${entry.id}`} entry={entry} />
          ))}
        </ol>
      )}
    </div>
  );
}
