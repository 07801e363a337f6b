import type { ApiClient } from '../api/client';
import { t } from '../i18n';
import { PollBallots, PollResults } from '../room/polls';
import { useLoad } from './use-load';

/** The "Polls" part of one session's attendance: each poll of that class with its results. */
export function SessionPolls({ api, sessionId }: { api: ApiClient; sessionId: string }) {
  const { loaded } = useLoad((signal) => api.sessionPolls(sessionId, signal), sessionId);
  const polls = loaded.data?.polls;
  return (
    <section class="polls-session" aria-labelledby="session-polls-heading" data-testid="session-polls">
      <h3 id="session-polls-heading">{t('polls.session.heading')}</h3>
      {loaded.state === 'failed' && <p class="field-error">{t('polls.session.failed')}</p>}
      {polls && polls.length === 0 && <p>{t('polls.session.none')}</p>}
      {polls && polls.length > 0 && (
        <ol class="poll-list">
          {polls.map((poll) => (
            <li key={poll.id} class="poll" data-poll={poll.id}>
              <h4>{poll.question}</h4>
              <PollResults poll={poll} />
              <PollBallots poll={poll} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
