import { useRef, useState } from 'preact/hooks';
import { describedBy } from '../../components/field';
import { t, tp } from '../../i18n';
import { MAX_TEXT, cleanText, textLength } from './chat-model';
import type { SendResult } from './use-chat';

/** The counter shows up only this close to the limit: a number under every message is noise. */
const COUNT_FROM = 100;

function errorText(result: SendResult): string | undefined {
  if (result.ok) return undefined;
  switch (result.reason) {
    case 'empty':
      return undefined;
    case 'tooLong':
      return tp('chat.composer.over', result.over);
    case 'throttled':
      return tp('chat.error.throttled', Math.max(1, Math.ceil(result.retryInMs / 1000)));
    case 'failed':
      return t('chat.error.failed');
  }
}

/**
 * A labelled textarea and a Send button. Enter sends, Shift+Enter starts a new line (and Enter while an
 * input method is composing belongs to the input method). The draft stays when a send fails.
 */
export function Composer({ onSend, notice }: { onSend: (draft: string) => Promise<SendResult>; notice?: string }) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string>();
  const sending = useRef(false);
  const input = useRef<HTMLTextAreaElement>(null);

  const length = textLength(cleanText(draft));
  const over = length - MAX_TEXT;
  const count =
    over > 0 ? tp('chat.composer.over', over) : MAX_TEXT - length <= COUNT_FROM ? tp('chat.composer.left', -over) : '';

  const submit = async () => {
    // A ref, not state: two Enters in one frame must not send the draft twice.
    if (sending.current || !cleanText(draft)) return;
    sending.current = true;
    const sent = draft;
    const result = await onSend(sent);
    sending.current = false;
    setError(errorText(result));
    if (result.ok) {
      setDraft((current) => (current === sent ? '' : current));
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Safari ends a composition with an Enter whose isComposing is already false; keyCode 229 gives it away.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void submit();
  };

  return (
    <form
      class="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {notice && <p class="hint chat-notice">{notice}</p>}
      <label for="chat-input">{t('chat.composer.label')}</label>
      <textarea
        ref={input}
        id="chat-input"
        rows={2}
        value={draft}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        aria-invalid={over > 0 ? 'true' : undefined}
        aria-describedby={describedBy('chat-input-hint', count && 'chat-input-count', error && 'chat-input-error')}
      />
      <div class="chat-composer-row">
        <p id="chat-input-hint" class="hint">
          {t('chat.composer.hint')}
        </p>
        <button type="submit">{t('chat.composer.send')}</button>
      </div>
      {count && (
        <p id="chat-input-count" class={over > 0 ? 'field-error' : 'hint'}>
          {count}
        </p>
      )}
      {/* Always in the page: a live region that appears together with its text is often not read. */}
      <p id="chat-input-error" class="field-error chat-error" role="alert">
        {error}
      </p>
    </form>
  );
}
