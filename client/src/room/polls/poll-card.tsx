import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { pollToAnswer } from './poll-model';
import type { Polls } from './use-polls';
import { VoteForm } from './vote-form';
import './polls.css';

/** How long "Vote recorded" stays after the card's vote. */
const RECORDED_MS = 4000;

/**
 * For students: the open poll as a card at the top of the room, where the eye is, while the Polls panel is
 * closed; answered there by keyboard or pointer, or put off with Later (the panel still has it). The status
 * region is always there, so the new poll and "Vote recorded" are announced.
 */
export function PollCard({ polls, canVote, panelOpen }: { polls: Polls; canVote: boolean; panelOpen: boolean }) {
  const poll = pollToAnswer(polls.polls, canVote);
  const shown = poll && !panelOpen && !polls.seen.has(poll.id) ? poll : undefined;
  const [recorded, setRecorded] = useState(false);
  const region = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!recorded) return;
    const timer = setTimeout(() => setRecorded(false), RECORDED_MS);
    return () => clearTimeout(timer);
  }, [recorded]);

  const later = () => {
    if (!shown) return;
    polls.markSeen(shown.id);
  };

  return (
    <div
      class="poll-card"
      role="status"
      ref={region}
      onKeyDown={(event) => {
        if (event.key === 'Escape') later();
      }}
    >
      {shown && (
        <section class="poll-card-body" aria-label={t('polls.card.label')}>
          <p class="visually-hidden">{t('polls.card.announce', { question: shown.question })}</p>
          <p class="poll-card-title" aria-hidden="true">
            {t('polls.card.label')}
          </p>
          <VoteForm
            poll={shown}
            idPrefix="card"
            onVote={async (id, choices) => {
              await polls.vote(id, choices);
              setRecorded(true);
            }}
          >
            <button type="button" class="secondary" onClick={later}>
              {t('polls.card.later')}
            </button>
          </VoteForm>
        </section>
      )}
      {!shown && recorded && <p class="poll-card-body">{t('polls.vote.recorded')}</p>}
    </div>
  );
}
