import { Track, type RemoteTrackPublication } from 'livekit-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { Icon } from './icons';
import { galleryOrder, gridFor, pageOf, pageSizeFor, stagePlan, stripFor, type Layout, type SelfView } from './layout';
import type { ParticipantModel } from './participant-model';
import { ParticipantTile, ScreenTile } from './participant-tile';

/** Height kept for the pager when the people do not fit on one page. */
const PAGER_HEIGHT = 40;
const GAP = 8;

/** The stage's own box: it is sized by the room's grid (everything but the banner and the control bar). */
function useStageSize() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  // A ResizeObserver alone (no clientWidth read in a layout effect): no forced layout of the room.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const next = { width: el.clientWidth, height: el.clientHeight };
      setSize((s) => (s.width === next.width && s.height === next.height ? s : next));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, size };
}

/**
 * Asks the SFU to send only the cameras on screen. Adaptive stream pauses a track whose element is hidden,
 * but a track that was never attached (a tile on another page) keeps flowing, so the rest is switched off
 * here explicitly and back on when its tile appears.
 */
function useOnlyVisibleVideo(participants: ParticipantModel[], visible: Set<string>): void {
  // The cameras this page switched off: only those are switched back on. An explicit "on" overrides
  // adaptive stream for good, so a camera never paged away stays under it alone (paused while its tile is
  // hidden or the tab is in the background).
  const off = useRef(new WeakSet<RemoteTrackPublication>());
  useEffect(() => {
    for (const p of participants) {
      if (p.isLocal) continue;
      const camera = p.participant.getTrackPublication(Track.Source.Camera) as RemoteTrackPublication | undefined;
      if (!camera?.isSubscribed) continue;
      if (!visible.has(p.identity)) {
        off.current.add(camera);
        camera.setEnabled(false);
      } else if (off.current.has(camera)) {
        off.current.delete(camera);
        camera.setEnabled(true);
      }
    }
  });
}

interface Props {
  participants: ParticipantModel[];
  layout: Layout;
  selfView: SelfView;
}

/**
 * Gallery (pages of tiles that fill the stage, up to 5 × 5), or a large spot over a strip: the active
 * speaker (speaker view) or the teacher (presentation view). A shared screen always takes the large spot,
 * except for the one sharing it, who sees that they share. Only the tiles on screen are rendered, and
 * everyone else's video is paused at the SFU, so a large class costs no more bandwidth than one page of it.
 */
export function Stage({ participants, layout, selfView }: Props) {
  const { ref, size } = useStageSize();
  const [page, setPage] = useState(0);
  const local = participants.find((p) => p.isLocal);
  const plan = stagePlan(participants, layout, size.width);
  const spot = plan.spot;
  // A person in the large spot is not repeated in the strip; one sharing a screen is (their camera).
  const inTiles = (p: ParticipantModel) =>
    !(p.isLocal && selfView !== 'tile') && !(spot?.kind === 'person' && p === spot.person);
  const people = spot && !plan.strip ? [] : participants.filter(inTiles);

  let body;
  let current;
  if (spot) {
    const strip = stripFor(size.width, size.height);
    current = pageOf(people, strip.count, page);
    const withPager = current.pages > 1;
    const mainHeight = Math.max(
      0,
      size.height - (people.length > 0 ? strip.height + GAP : 0) - (withPager ? PAGER_HEIGHT : 0),
    );
    body = (
      <>
        <div class="featured-slot" style={{ height: `${mainHeight}px` }}>
          {spot.kind === 'sharing' ? (
            <SharingNotice />
          ) : spot.kind === 'screen' ? (
            <ScreenTile model={spot.person} />
          ) : (
            <ul class="featured-list">
              <ParticipantTile model={spot.person} featured />
            </ul>
          )}
        </div>
        {people.length > 0 && (
          <ul class="strip" style={{ height: `${strip.height}px` }}>
            {current.items.map((p) => (
              <ParticipantTile key={p.identity} model={p} />
            ))}
          </ul>
        )}
      </>
    );
  } else {
    let height = size.height;
    let pageSize = pageSizeFor(size.width, height);
    if (people.length > pageSize) {
      height -= PAGER_HEIGHT;
      pageSize = pageSizeFor(size.width, height);
    }
    const ordered = galleryOrder(people, pageSize, Date.now());
    current = pageOf(ordered, pageSize, page);
    const grid = gridFor(current.items.length, size.width, height);
    const widths = grid.perRow.flatMap((k, row) => Array<number>(k).fill(Math.floor(grid.widths[row] ?? 0)));
    body =
      current.items.length > 0 ? (
        <ul
          class="grid"
          style={{ '--tile-h': `${Math.floor(grid.tileHeight)}px`, height: `${height}px` }}
          data-rows={grid.perRow.join(',')}
        >
          {current.items.map((p, i) => (
            <ParticipantTile key={p.identity} model={p} width={widths[i]} />
          ))}
        </ul>
      ) : (
        <p class="stage-empty">{t('room.stage.alone')}</p>
      );
  }

  const onScreen = new Set(current.items.map((p) => p.identity));
  if (spot?.kind === 'person') onScreen.add(spot.person.identity);
  useOnlyVisibleVideo(participants, onScreen);

  return (
    <div ref={ref} class="stage-view" data-layout={plan.view}>
      {body}
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
      {local && selfView === 'corner' && (
        <ul class="self-corner">
          <ParticipantTile model={local} />
        </ul>
      )}
    </div>
  );
}

/** What the one sharing sees in the large spot: not their own screen mirrored back, but that they share. */
function SharingNotice() {
  return (
    <div class="tile sharing-notice" role="status">
      <Icon name="screen" size={40} />
      <p>{t('room.screen.youAreSharing')}</p>
    </div>
  );
}
