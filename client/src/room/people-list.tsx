import type { ComponentChildren } from 'preact';
import { t, tp } from '../i18n';
import { Icon, QualityBars } from './icons';
import { handQueue, roleLabel, type ParticipantModel } from './participant-model';
import { describeState, displayName } from './participant-tile';

/** One person in a list: name, role, hand (with its place in the queue), mic/camera and connection. */
export function PersonRow({
  model,
  handPosition,
  children,
}: {
  model: ParticipantModel;
  handPosition?: number | undefined;
  children?: ComponentChildren;
}) {
  const name = displayName(model);
  // The hand has its own badge; the rest is said in words next to the icons.
  const states = describeState(model, { hand: false });
  return (
    <li data-identity={model.identity}>
      <span class="person">
        <span class="person-name">{name}</span> <span class={`badge role-${model.role}`}>{roleLabel(model.role)}</span>
        {model.handRaised && (
          <span class="badge hand-badge">
            {handPosition ? t('room.hand.position', { position: handPosition }) : t('room.state.handRaised')}
          </span>
        )}
        <span class="person-state" aria-hidden="true">
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

/** Everyone in the class, for students and observers (instructors get the leader panel instead). */
export function PeopleList({ participants }: { participants: ParticipantModel[] }) {
  const queue = handQueue(participants);
  return (
    <section class="people-panel" aria-labelledby="people-heading">
      <h2 id="people-heading">{tp('room.people.heading', participants.length)}</h2>
      <ul class="people">
        {participants.map((p) => (
          <PersonRow key={p.identity} model={p} handPosition={queue.indexOf(p) + 1 || undefined} />
        ))}
      </ul>
    </section>
  );
}
