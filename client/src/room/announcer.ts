import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import type { ParticipantModel } from './participant-model';
import { REACTIONS } from './reactions';

/**
 * A polite live region's text: who joined or left, whose hand went up, who reacted. Compares each render's participants
 * with the previous ones; the first render (the people already there) is not announced.
 */
export function useAnnouncer() {
  const previous = useRef<Map<string, ParticipantModel>>();
  const [message, setMessage] = useState('');
  const observe = (now: ParticipantModel[]) => {
    const before = previous.current;
    previous.current = new Map(now.map((p) => [p.identity, p]));
    if (!before || now.length === 0) return;
    const news: string[] = [];
    for (const p of now) {
      const was = before.get(p.identity);
      if (!was && !p.isLocal) news.push(t('room.announce.joined', { name: p.name }));
      else if (was && p.handRaised && !was.handRaised)
        news.push(p.isLocal ? t('room.announce.youRaisedHand') : t('room.announce.raisedHand', { name: p.name }));
      if (was && p.reaction && p.reaction !== was.reaction && !p.isLocal)
        news.push(t('room.announce.reacted', { name: p.name, reaction: t(REACTIONS[p.reaction].name) }));
    }
    for (const [identity, p] of before)
      if (!previous.current.has(identity)) news.push(t('room.announce.left', { name: p.name }));
    if (news.length > 0) queueMicrotask(() => setMessage(news.join(' ')));
  };
  return { message, observe };
}
