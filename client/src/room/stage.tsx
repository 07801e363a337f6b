import { Track, type RemoteTrackPublication } from 'livekit-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { featuredOf, galleryOrder, pageOf, pageSizeFor, type Layout } from './layout';
import type { ParticipantModel } from './participant-model';
import { ParticipantTile, ScreenTile } from './participant-tile';

/** Room for the control bar below the tiles when sizing pages to the frame. */
const CONTROLS_HEIGHT = 120;
const STRIP_TILE_WIDTH = 168;

/** The stage's usable size, remeasured when the frame or the side panel changes it. */
function useStageSize() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setSize({ width: el.clientWidth, height: Math.max(240, window.innerHeight - top - CONTROLS_HEIGHT) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);
  return { ref, size };
}

/**
 * Asks the SFU to send only the cameras on screen. Adaptive stream pauses a track whose element is hidden,
 * but a track that was never attached (a tile on another page) keeps flowing, so the rest is switched off
 * here explicitly and back on when its tile appears.
 */
function useOnlyVisibleVideo(participants: ParticipantModel[], visible: Set<string>): void {
  useEffect(() => {
    for (const p of participants) {
      if (p.isLocal) continue;
      const camera = p.participant.getTrackPublication(Track.Source.Camera) as RemoteTrackPublication | undefined;
      if (camera?.isSubscribed) camera.setEnabled(visible.has(p.identity));
    }
  });
}

/**
 * Gallery (pages of tiles sized to the frame) or speaker view (one large tile and a strip). A shared
 * screen always takes the large spot. Only the current page's tiles are rendered, and the video of everyone
 * else is paused at the SFU, so a large class costs no more bandwidth than one page of it.
 */
export function Stage({ participants, layout }: { participants: ParticipantModel[]; layout: Layout }) {
  const { ref, size } = useStageSize();
  const [page, setPage] = useState(0);
  const sharing = participants.find((p) => p.screenTrack);
  const featured = sharing ?? (layout === 'speaker' && participants.length > 1 ? featuredOf(participants) : undefined);

  let tiles: ParticipantModel[];
  let pageSize: number;
  if (featured) {
    tiles = sharing ? participants : participants.filter((p) => p !== featured);
    pageSize = Math.max(2, Math.floor(size.width / STRIP_TILE_WIDTH) || 4);
  } else {
    pageSize = pageSizeFor(size.width, size.height);
    tiles = galleryOrder(participants, pageSize, Date.now());
  }
  const current = pageOf(tiles, pageSize, page);
  const onScreen = new Set(current.items.map((p) => p.identity));
  if (featured && !sharing) onScreen.add(featured.identity);
  useOnlyVisibleVideo(participants, onScreen);

  return (
    <div
      ref={ref}
      class={`stage-view${featured ? ' with-featured' : ''}`}
      data-layout={featured ? 'speaker' : 'gallery'}
    >
      {sharing ? (
        <ScreenTile model={sharing} />
      ) : (
        featured && (
          <ul class="featured-slot">
            <ParticipantTile model={featured} featured />
          </ul>
        )
      )}
      <ul class={featured ? 'strip' : 'grid'}>
        {current.items.map((p) => (
          <ParticipantTile key={p.identity} model={p} />
        ))}
      </ul>
      {current.pages > 1 && (
        <nav class="pager" aria-label={t('room.pager.label')}>
          <button
            type="button"
            class="secondary"
            disabled={current.page === 0}
            onClick={() => setPage(current.page - 1)}
          >
            {t('room.pager.previous')}
          </button>
          <span aria-live="polite">{t('room.pager.position', { page: current.page + 1, pages: current.pages })}</span>
          <button
            type="button"
            class="secondary"
            disabled={current.page >= current.pages - 1}
            onClick={() => setPage(current.page + 1)}
          >
            {t('room.pager.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
