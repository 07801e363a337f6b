import { useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { PollDto } from '../../api/contract';
import { t } from '../../i18n';
import { newestFirst, openPoll } from './poll-model';
import { PollBallots, PollResults } from './poll-results';
import { PollComposer } from './poll-composer';
import type { Polls } from './use-polls';
import { VoteForm } from './vote-form';
import './polls.css';

interface Props {
  polls: Polls;
  isLeader: boolean;
  /** Observers follow along but do not vote. */
  canVote: boolean;
  /** While false it stays mounted but hidden, so a half-written poll survives closing the panel. */
  visible?: boolean;
}

/** The Polls side panel: teachers compose, watch live results, close and share; students answer and see shared results. */
export function PollsPanel({ polls, isLeader, canVote, visible = true }: Props) {
  const list = newestFirst(polls.polls);
  const open = openPoll(polls.polls) !== undefined;
  const composer = isLeader && <PollComposer key="composer" onLaunch={polls.create} blocked={open} />;
  const polled =
    list.length === 0 ? (
      <p key="list" class="notice">
        {t('polls.empty')}
      </p>
    ) : (
      <ul key="list" class="poll-list">
        {list.map((poll) => (
          <li key={poll.id}>
            <PollItem poll={poll} polls={polls} isLeader={isLeader} canVote={canVote} />
          </li>
        ))}
      </ul>
    );
  // While a poll is open its live results come first; the composer (waiting for it to close) after them.
  return (
    <section class="polls-panel" aria-labelledby="polls-heading" hidden={!visible}>
      <h2 id="polls-heading">{t('polls.heading')}</h2>
      {open ? [polled, composer] : [composer, polled]}
    </section>
  );
}

function PollItem({ poll, polls, isLeader, canVote }: { poll: PollDto } & Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = async (action: (id: string) => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(poll.id);
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setBusy(false);
    }
  };
  const answering = !isLeader && canVote && !poll.closed && poll.myChoices === null;
  const headingId = `poll-${poll.id.replace(/\W/g, '-')}`;

  return (
    <article class="poll" data-poll={poll.id} data-state={poll.closed ? 'closed' : 'open'} aria-labelledby={headingId}>
      <h3 id={headingId}>{poll.question}</h3>
      <p class="poll-tags">
        <span class={poll.closed ? 'tag' : 'tag tag-open'}>
          {t(poll.closed ? 'polls.status.closed' : 'polls.status.open')}
        </span>
        {poll.multiple && <span class="tag">{t('polls.tag.multiple')}</span>}
        {poll.anonymous && <span class="tag">{t('polls.tag.anonymous')}</span>}
      </p>
      {answering ? (
        <VoteForm poll={poll} idPrefix="panel" onVote={polls.vote} />
      ) : (
        <>
          {!isLeader && poll.myChoices && <VoteForm poll={poll} idPrefix="panel" onVote={polls.vote} />}
          {!isLeader && !canVote && !poll.closed && <p class="hint">{t('polls.vote.observer')}</p>}
          <PollResults poll={poll} />
          {isLeader && <PollBallots poll={poll} />}
        </>
      )}
      {isLeader && (
        <div class="poll-actions">
          {!poll.closed && (
            <button type="button" class="secondary" disabled={busy} onClick={() => void act(polls.close)}>
              {t('polls.close')}
            </button>
          )}
          {poll.shared ? (
            <p class="hint">{t('polls.shared')}</p>
          ) : (
            <button type="button" class="secondary" disabled={busy} onClick={() => void act(polls.share)}>
              {t('polls.share')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
