import { useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { PollDraftRequest } from '../../api/contract';
import { t, type MessageKey } from '../../i18n';
import { draftProblems, draftRequest, OPTION_MAX, OPTIONS_MAX, OPTIONS_MIN, QUESTION_MAX } from './poll-model';

const PROBLEM: Record<ReturnType<typeof draftProblems>[number], MessageKey> = {
  question: 'polls.compose.problem.question',
  options: 'polls.compose.problem.options',
  duplicate: 'polls.compose.problem.duplicate',
};

/** The teacher's draft: a question, 2 to 10 options, one or several answers, anonymous or not. */
export function PollComposer({
  onLaunch,
  blocked,
}: {
  onLaunch: (draft: PollDraftRequest) => Promise<void>;
  /** A poll is open: the server takes one at a time. */
  blocked: boolean;
}) {
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState<string[]>(['', '']);
  const [multiple, setMultiple] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const launch = async (event: Event) => {
    event.preventDefault();
    const problems = draftProblems({ question, options });
    if (problems.length > 0) {
      setError(problems.map((p) => t(PROBLEM[p])).join(' '));
      return;
    }
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await onLaunch(draftRequest({ question, options, multiple, anonymous }));
      setQuestion('');
      setOptions(['', '']);
      setDone(t('polls.compose.launched'));
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="poll-composer" onSubmit={(e) => void launch(e)} aria-labelledby="poll-compose-heading">
      <h3 id="poll-compose-heading">{t('polls.compose.heading')}</h3>
      <label class="field">
        {t('polls.compose.question')}
        <input
          type="text"
          name="question"
          maxLength={QUESTION_MAX}
          value={question}
          onInput={(e) => setQuestion(e.currentTarget.value)}
        />
      </label>
      {options.map((option, i) => (
        <div class="poll-option-row" key={i}>
          <label class="field">
            {t('polls.compose.option', { n: i + 1 })}
            <input
              type="text"
              name={`option-${i + 1}`}
              maxLength={OPTION_MAX}
              value={option}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setOptions((o) => o.map((x, j) => (j === i ? value : x)));
              }}
            />
          </label>
          {options.length > OPTIONS_MIN && (
            <button
              type="button"
              class="secondary"
              aria-label={t('polls.compose.remove', { n: i + 1 })}
              title={t('polls.compose.remove', { n: i + 1 })}
              onClick={() => setOptions((o) => o.filter((_, j) => j !== i))}
            >
              <span aria-hidden="true">×</span>
            </button>
          )}
        </div>
      ))}
      {options.length < OPTIONS_MAX && (
        <button type="button" class="secondary" onClick={() => setOptions((o) => [...o, ''])}>
          {t('polls.compose.add')}
        </button>
      )}
      <label class="poll-check">
        <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.currentTarget.checked)} />{' '}
        {t('polls.compose.multiple')}
      </label>
      <label class="poll-check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />{' '}
        {t('polls.compose.anonymous')}
      </label>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {blocked && <p class="hint">{t('polls.compose.openFirst')}</p>}
      <button type="submit" disabled={busy || blocked} aria-busy={busy ? 'true' : undefined}>
        {t('polls.compose.launch')}
      </button>
      <p role="status" class="hint">
        {done}
      </p>
    </form>
  );
}
