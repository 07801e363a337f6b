import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { PollDto } from '../../api/contract';
import { t } from '../../i18n';
import { toggleChoice } from './poll-model';

interface Props {
  poll: PollDto;
  /** `idPrefix` keeps the inputs' ids apart when the card and the panel show the same poll. */
  idPrefix: string;
  onVote: (pollId: string, choices: number[]) => Promise<void>;
  /** More buttons beside Vote (the card's Later). */
  children?: ComponentChildren;
}

/**
 * One poll's question as a fieldset of radios (one answer) or checkboxes (several), and a Vote button:
 * arrows move between radios, Space ticks a box, Enter votes. After voting it says "Vote recorded".
 */
export function VoteForm({ poll, idPrefix, onVote, children }: Props) {
  const [choices, setChoices] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const name = `${idPrefix}-${poll.id}`;

  if (poll.myChoices) {
    const answer = poll.myChoices.map((c) => poll.options[c]).join(', ');
    return (
      <div class="poll-voted" role="status">
        <p>{t('polls.vote.recorded')}</p>
        <p class="hint">{t('polls.vote.mine', { answer })}</p>
      </div>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    if (choices.length === 0) {
      setError(t('polls.vote.pick'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onVote(poll.id, choices);
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="poll-vote" onSubmit={(e) => void submit(e)} data-poll={poll.id}>
      <fieldset aria-describedby={`${name}-how`}>
        <legend>{poll.question}</legend>
        <p id={`${name}-how`} class="hint">
          {t(poll.multiple ? 'polls.vote.multiple' : 'polls.vote.single')}
        </p>
        {poll.options.map((option, i) => (
          <label key={i} class="poll-option">
            <input
              type={poll.multiple ? 'checkbox' : 'radio'}
              name={name}
              value={String(i)}
              checked={choices.includes(i)}
              onChange={() => setChoices((c) => toggleChoice(c, i, poll.multiple))}
            />{' '}
            {option}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="poll-actions">
        <button type="submit" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {t('polls.vote.submit')}
        </button>
        {children}
      </div>
    </form>
  );
}
