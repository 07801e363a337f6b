import type { PollDto } from '../../api/contract';
import { t, tp } from '../../i18n';

/** Counts and percents as bars; each line is read as "Jupiter: 3 (60%)", the bar itself is decoration. */
export function PollResults({ poll, hiddenText = true }: { poll: PollDto; hiddenText?: boolean }) {
  const results = poll.results;
  if (!results) return hiddenText ? <p class="hint">{t('polls.results.hidden')}</p> : null;
  return (
    <div class="poll-results">
      <p class="poll-voters">{tp('polls.voters', results.voters)}</p>
      <ul aria-label={t('polls.results.label')}>
        {poll.options.map((option, i) => {
          const count = results.counts[i] ?? 0;
          const percent = results.percents[i] ?? 0;
          return (
            <li key={i} data-option={i} data-count={count}>
              <span class="poll-result-text">{t('polls.result', { option, count, percent })}</span>
              <span class="poll-bar" aria-hidden="true">
                <span style={{ width: `${percent}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Who chose what (leaders, polls that are not anonymous). */
export function PollBallots({ poll }: { poll: PollDto }) {
  if (!poll.ballots || poll.ballots.length === 0) return null;
  return (
    <details class="poll-ballots">
      <summary>{t('polls.ballots')}</summary>
      <ul>
        {poll.ballots.map((b, i) => (
          <li key={i}>
            {b.name}: {b.choices.map((c) => poll.options[c]).join(', ')}
          </li>
        ))}
      </ul>
    </details>
  );
}
