import { useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { GradeLine } from '../api/contract';
import { t, tp } from '../i18n';
import { LoadNotice, TableBox } from './attendance-parts';
import {
  cannotPostText,
  inFlight,
  minutesText,
  numberText,
  percentText,
  policySentence,
  scoreText,
  syncText,
  type Clock,
} from './attendance-text';
import { useLoad, usePoll } from './use-load';

/** How often the preview is read again while a grade is on its way to the LMS. */
const POLL_MS = 3_000;

type Outcome = { kind: 'status' | 'error'; text: string };

/** The grade preview: the policy in words, each learner's score and where it stands in the LMS, Post grades. */
export function GradesPanel({ api, clock }: { api: ApiClient; clock: Clock }) {
  const { loaded, reload } = useLoad((signal) => api.grades(signal), 'grades');
  const [unreleased, setUnreleased] = useState(false);
  const [posting, setPosting] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const grades = loaded.data;
  const polling = grades !== undefined && inFlight(grades.lines);

  usePoll(polling, loaded, reload, POLL_MS);

  if (!grades) {
    return loaded.state === 'failed' ? (
      <section class="attendance-section" aria-labelledby="grades-heading">
        <h2 id="grades-heading">{t('grades.heading')}</h2>
        <LoadNotice loaded={loaded} onRetry={reload} />
      </section>
    ) : null;
  }

  const post = async (key: string, userKeys?: string[]) => {
    if (posting) return;
    setPosting(key);
    setOutcome(undefined);
    try {
      const result = await api.postGrades({ ...(userKeys ? { userKeys } : {}), ...(unreleased ? { unreleased } : {}) });
      setOutcome({ kind: 'status', text: t('grades.result', { queued: result.queued, unchanged: result.unchanged }) });
      reload();
    } catch (err) {
      const reason = isApiError(err) ? err.message : t('common.somethingWrong');
      setOutcome({ kind: 'error', text: t('grades.failed', { reason }) });
    } finally {
      setPosting(undefined);
    }
  };
  const canPost = grades.enabled && grades.canPost && grades.lines.length > 0;

  return (
    <section class="attendance-section grades" aria-labelledby="grades-heading" data-can-post={String(grades.canPost)}>
      <h2 id="grades-heading">{t('grades.heading')}</h2>
      {!grades.enabled ? (
        <p>{t('grades.off')}</p>
      ) : (
        <>
          <p data-testid="grade-policy">{policySentence(grades.policy, clock)}</p>
          <p class="hint">{t(grades.policy.autoPost ? 'grades.autoPost' : 'grades.manualPost')}</p>
          {grades.lineItem && (
            <p class="hint">
              {t('grades.lineItem', {
                label: grades.lineItem.label,
                points: numberText(grades.lineItem.scoreMaximum, clock),
              })}
            </p>
          )}
          {!grades.canPost && grades.cannotPostReason && (
            <div class="notice" data-reason={grades.cannotPostReason}>
              <h3>{t('grades.cannotPost.heading')}</h3>
              <p>{cannotPostText(grades.cannotPostReason)}</p>
            </div>
          )}
          {loaded.state === 'failed' && <LoadNotice loaded={loaded} onRetry={reload} />}
          {grades.canPost && (
            <div class="attendance-actions grade-actions">
              <div class="field check">
                <input
                  id="grades-unreleased"
                  type="checkbox"
                  checked={unreleased}
                  aria-describedby="grades-unreleased-hint"
                  onChange={(e) => setUnreleased(e.currentTarget.checked)}
                />
                <label for="grades-unreleased">{t('grades.unreleased')}</label>
                <p id="grades-unreleased-hint" class="hint">
                  {t('grades.unreleased.hint')}
                </p>
              </div>
              <button
                type="button"
                aria-disabled={!canPost || posting ? 'true' : undefined}
                onClick={() => canPost && void post('all')}
              >
                {t(posting === 'all' ? 'grades.posting' : 'grades.post')}
              </button>
            </div>
          )}
          <div role="status" aria-live="polite" data-testid="grade-result">
            {outcome?.kind === 'status' && <p class="notice">{outcome.text}</p>}
          </div>
          <div role="alert">{outcome?.kind === 'error' && <p class="field-error">{outcome.text}</p>}</div>
          {grades.lines.length === 0 ? (
            <p>{t('grades.empty')}</p>
          ) : (
            <GradeTable
              lines={grades.lines}
              clock={clock}
              canRetry={canPost && !posting}
              onRetry={(line) => void post(line.userKey, [line.userKey])}
            />
          )}
        </>
      )}
    </section>
  );
}

interface TableProps {
  lines: readonly GradeLine[];
  clock: Clock;
  canRetry: boolean;
  onRetry: (line: GradeLine) => void;
}

function GradeTable({ lines, clock, canRetry, onRetry }: TableProps) {
  const caption = tp('grades.caption', lines.length);
  const anyRefused = lines.some((l) => l.sync.state === 'refused');
  return (
    <TableBox label={caption}>
      <table class="attendance-table grade-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('grades.col.name')}</th>
            <th scope="col" class="num">
              {t('grades.col.score')}
            </th>
            <th scope="col" class="num">
              {t('grades.col.minutes')}
            </th>
            <th scope="col" class="num">
              {t('grades.col.percent')}
            </th>
            <th scope="col">{t('grades.col.comment')}</th>
            <th scope="col">{t('grades.col.sync')}</th>
            {anyRefused && <th scope="col">{t('grades.col.action')}</th>}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const sync = syncText(line, clock);
            return (
              <tr key={line.userKey} data-user-key={line.userKey} data-sync={line.sync.state}>
                <th scope="row">{line.name}</th>
                <td class="num">{scoreText(line.score, line.scoreMaximum, clock)}</td>
                <td class="num">
                  {t('grades.minutes', {
                    attended: numberText(line.attendedMinutes, clock),
                    total: minutesText(line.totalMinutes, clock),
                  })}
                </td>
                <td class="num">{percentText(line.percent, clock)}</td>
                <td class="comment">{line.comment}</td>
                <td class={`sync sync-${line.sync.state}`}>
                  <span>{sync.text}</span>
                  {sync.detail && <span class="hint sync-detail">{sync.detail}</span>}
                </td>
                {anyRefused && (
                  <td>
                    {line.sync.state === 'refused' && (
                      <button
                        type="button"
                        class="secondary"
                        aria-label={t('grades.retry.of', { name: line.name })}
                        aria-disabled={canRetry ? undefined : 'true'}
                        onClick={() => canRetry && onRetry(line)}
                      >
                        {t('grades.retry')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableBox>
  );
}
