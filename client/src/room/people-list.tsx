import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { currentLocale, t, tp } from '../i18n';
import { Icon, QualityBars } from './icons';
import { handQueue, roleLabel, type ParticipantModel } from './participant-model';
import { orderPeople, PEOPLE_ORDERS, type PeopleOrder } from './people-order';
import './people.css';

const ORDER_LABEL = { hand: 'people.sort.hand', speaking: 'people.sort.speaking', name: 'people.sort.name' } as const;

const nameOf = (model: ParticipantModel): string => (model.isLocal ? t('room.you', { name: model.name }) : model.name);

/** What the icons of a row show, in words for screen readers (the hand has its own badge). */
function statesOf(model: ParticipantModel): string[] {
  return [
    model.micOn ? undefined : t('room.state.micOff'),
    model.cameraOn ? undefined : t('people.state.cameraOff'),
    model.speaking ? t('room.state.speaking') : undefined,
    model.quality === 'poor' || model.quality === 'lost' ? t(`room.quality.${model.quality}`) : undefined,
  ].filter((s): s is string => s !== undefined);
}

/** One person on one line: name, role, hand (with its place in the queue), speaking, mic, camera, connection. */
export function PersonRow({
  model,
  handPosition,
  children,
}: {
  model: ParticipantModel;
  handPosition?: number | undefined;
  children?: ComponentChildren;
}) {
  const states = statesOf(model);
  return (
    <li
      data-identity={model.identity}
      data-speaking={model.speaking ? 'true' : undefined}
      class={model.speaking ? 'person-row speaking' : 'person-row'}
    >
      <span class="person">
        <span class="person-name" title={nameOf(model)}>
          {nameOf(model)}
        </span>{' '}
        <span class={`badge role-${model.role}`}>{roleLabel(model.role)}</span>
        {model.handRaised && (
          <span class="badge hand-badge">
            {handPosition ? t('room.hand.position', { position: handPosition }) : t('room.state.handRaised')}
          </span>
        )}
        <span class="person-state" aria-hidden="true">
          {model.speaking && (
            <span class="speaking-mark" title={t('people.speaking')}>
              <SpeakingIcon />
            </span>
          )}
          {!model.micOn && <Icon name="micOff" />}
          {!model.cameraOn && <Icon name="cameraOff" />}
          {model.screenTrack && <Icon name="screen" />}
          <QualityBars quality={model.quality} label={t(`room.quality.${model.quality}`)} />
        </span>
        {states.length > 0 && <span class="visually-hidden">, {states.join(', ')}</span>}
      </span>
      {children}
    </li>
  );
}

/** Three sound bars (Material "graphic_eq"), lit while the person speaks. */
function SpeakingIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M7 18h2V6H7v12zm4 4h2V2h-2v20zm-8-8h2v-4H3v4zm12 4h2V6h-2v12zm4-8v4h2v-4h-2z" />
    </svg>
  );
}

/** The search box and the sort choice above a long list; `shown` is how many rows the search left. */
function PeopleTools({
  query,
  onQuery,
  order,
  onOrder,
  shown,
}: {
  query: string;
  onQuery: (query: string) => void;
  order: PeopleOrder;
  onOrder: (order: PeopleOrder) => void;
  shown: number;
}) {
  return (
    <div class="people-tools">
      <input
        type="search"
        aria-label={t('people.search.label')}
        placeholder={t('people.search.placeholder')}
        value={query}
        onInput={(e) => onQuery((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && query) {
            e.stopPropagation();
            onQuery('');
          }
        }}
      />
      <label class="people-sort">
        <span>{t('people.sort.label')}</span>
        <select value={order} onChange={(e) => onOrder((e.currentTarget as HTMLSelectElement).value as PeopleOrder)}>
          {PEOPLE_ORDERS.map((o) => (
            <option key={o} value={o}>
              {t(ORDER_LABEL[o])}
            </option>
          ))}
        </select>
      </label>
      <p class="visually-hidden" role="status">
        {query.trim() ? tp('people.shown', shown) : ''}
      </p>
    </div>
  );
}

/**
 * A searchable, sortable list of people, one line each; `actions` gives each row its controls (the
 * instructor's per-person menu), none for students.
 */
export function PeopleRows({
  people,
  actions,
}: {
  people: ParticipantModel[];
  actions?: (model: ParticipantModel) => ComponentChildren;
}) {
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<PeopleOrder>('hand');
  const queue = handQueue(people);
  const shown = orderPeople(people, order, query, currentLocale());
  return (
    <>
      <PeopleTools query={query} onQuery={setQuery} order={order} onOrder={setOrder} shown={shown.length} />
      {shown.length === 0 && query.trim() && <p class="hint">{t('people.noMatch', { query: query.trim() })}</p>}
      <ul class="people people-compact" data-people-list>
        {shown.map((p) => (
          <PersonRow key={p.identity} model={p} handPosition={queue.indexOf(p) + 1 || undefined}>
            {actions?.(p)}
          </PersonRow>
        ))}
      </ul>
    </>
  );
}

/** Everyone in the class, for students and observers (instructors get the leader panel instead). */
export function PeopleList({ participants }: { participants: ParticipantModel[] }) {
  return (
    <section class="people-panel" aria-labelledby="people-heading">
      <h2 id="people-heading">{tp('room.people.heading', participants.length)}</h2>
      <PeopleRows people={participants} />
    </section>
  );
}
