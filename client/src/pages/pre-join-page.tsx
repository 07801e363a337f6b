import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Role, MeResponse } from '../api/contract';
import { isApiError, type ApiClient } from '../api/client';
import type { JoinGrant } from '../api/room-types';
import { BrandLogo } from '../branding';
import { useDocumentTitle } from '../components/use-document-title';
import { withParts } from '../components/with-parts';
import { currentLocale, t } from '../i18n';
import { formatSchedule, pickTimeZone } from '../time';
import { ViewSwitch, type View } from '../attendance/attendance-tab';
import { describeRefusal, type Refusal } from './join-refusal';
import { JoinStatus } from './pre-join/join-status';
import { forgetEndedHere, noticingEnd } from '../room/class-end';
import { deviceIdOf, useMediaPreview } from '../media/use-media-preview';
import { MediaPanel, type MediaChoice } from './pre-join/media-panel';
import { RecordingNotice } from './pre-join/recording-notice';
import { JoinPreparation, loadRoomChunk, type RoomChunk } from './pre-join/join-preparation';

const ROLE_TEXT = {
  instructor: 'prejoin.role.instructor',
  participant: 'prejoin.role.participant',
  observer: 'prejoin.role.observer',
} as const satisfies Record<Role, string>;

const browserTimeZone = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone;

type Stage = { kind: 'prejoin' } | { kind: 'room'; grant: JoinGrant } | { kind: 'waiting'; lobby: JoinGrant };

/** A resource link launch: the class, its schedule and who you are, then the Join button. */
export function PreJoinPage({ me, api, launchToken }: { me: MeResponse; api: ApiClient; launchToken?: string }) {
  const [stage, setStage] = useState<Stage>({ kind: 'prejoin' });
  // The room chunk once loaded: the room page is then rendered, hidden, behind this page (see below).
  const [roomChunk, setChunk] = useState<RoomChunk>();
  // Each return to this page is a new room page (the last one ended).
  const [visit, setVisit] = useState(0);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal & { code: string }>();
  // Refusals in a row (server faults back off with it), when the page asks again, and the user's clicks.
  const failures = useRef(0);
  const [nextTryAt, setNextTryAt] = useState<number>();
  const [clicks, setClicks] = useState(0);
  const canPublish = mayPublishAtJoin(me);
  const cameraAllowed = canPublish && !me.activity?.settings.audioOnly;
  const [choice, setChoice] = useState<MediaChoice>({ microphone: true, camera: cameraAllowed });
  const [handedOff, setHandedOff] = useState(false);
  const [view, setView] = useState<View>('class');
  // The preview runs on the pre-join page only: joining, the waiting room, a new window or the attendance
  // tab stop its tracks.
  const previewing = canPublish && stage.kind === 'prejoin' && !handedOff && view === 'class';
  const preview = useMediaPreview({
    camera: previewing && cameraAllowed && choice.camera,
    microphone: previewing && choice.microphone,
    cameraId: choice.cameraId,
    microphoneId: choice.microphoneId,
  });
  // A device the preview could not open is left off at join (listen-only), rather than failing in the room.
  const media = {
    microphone: canPublish && choice.microphone && !preview.problems.microphone,
    camera: cameraAllowed && choice.camera && !preview.problems.camera,
    microphoneDeviceId: choice.microphoneId ?? deviceIdOf(preview.audio),
    cameraDeviceId: choice.cameraId ?? deviceIdOf(preview.video),
  };
  // What to publish, as chosen on the pre-join page (the waiting room's later join reuses it).
  const mediaAtJoin = useRef(media);
  if (stage.kind === 'prejoin') mediaAtJoin.current = media;
  const inFrame = window.self !== window.top;
  const openInNewWindow = () => {
    if (!launchToken) return;
    // Same origin, token in the fragment (never sent to the server's logs); the new window drops it at once.
    window.open(`/launch#token=${encodeURIComponent(launchToken)}`, '_blank', 'noopener');
    setHandedOff(true);
  };
  const timeZone = pickTimeZone(me.timezone, browserTimeZone());
  const locale = currentLocale();
  // While the page is open: the room chunk, an early join grant and a warm way to the SFU (Join is quicker).
  const preparation = useMemo(() => new JoinPreparation(api), [api]);
  const preparing = stage.kind === 'prejoin' && !handedOff;
  useEffect(() => {
    if (!preparing) return;
    preparation.start();
    return () => preparation.stop();
  }, [preparation, preparing]);
  useEffect(() => {
    let gone = false;
    loadRoomChunk().then(
      (loaded) => gone || setChunk(loaded),
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, []);

  const enter = (grant: JoinGrant, loaded: RoomChunk) => {
    failures.current = 0;
    forgetEndedHere();
    setRefusal(undefined);
    setChunk(loaded);
    setStage({ kind: 'room', grant });
  };
  const join = async () => {
    if (pending) return;
    // The early grant when it is fresh; otherwise the server decides now (and says why it refuses).
    const early = preparation.take();
    // With the chunk here too, the room shows in the click's own task, in one render (no "pending" first).
    if (early && roomChunk) return enter(early, roomChunk);
    setPending(true);
    const chunk = loadRoomChunk();
    try {
      const grant = early ?? (await api.roomToken());
      enter(grant, await chunk);
    } catch (err) {
      failures.current++;
      if (isApiError(err) && err.code === 'ROOM_IN_WAITING_ROOM' && isGrant(err.details?.lobby)) {
        failures.current = 0;
        const lobby = err.details.lobby;
        setChunk(await chunk);
        setStage({ kind: 'waiting', lobby });
      } else if (isApiError(err)) {
        const next = { ...describeRefusal(err, timeZone, locale, failures.current), code: err.code };
        setRefusal(next);
        setNextTryAt(next.retryInMs === undefined ? undefined : Date.now() + next.retryInMs);
      } else {
        // The room chunk failed to load (a deploy replaced it, or the network dropped): a click may help.
        setRefusal({ message: t('prejoin.loadFailed'), retry: 'manual', serverFault: false, code: 'UNKNOWN' });
      }
    } finally {
      setPending(false);
    }
  };
  const joinNow = useRef(join);
  joinNow.current = join;

  // The page asks again by itself (waiting for the teacher, a server fault, a full class...), but not once
  // the class went to a new window: joining here too would close it there.
  const retryIn = stage.kind === 'prejoin' && !handedOff && refusal?.retry === 'auto' ? nextTryAt : undefined;
  useEffect(() => {
    if (retryIn === undefined) return;
    const timer = setTimeout(() => void joinNow.current(), Math.max(0, retryIn - Date.now()));
    return () => clearTimeout(timer);
  }, [retryIn]);

  // The room's API notes an end for everyone sent from this page, for its end screen ("You ended the class").
  const roomApi = useMemo(() => noticingEnd(api), [api]);
  const back = () => {
    setVisit((n) => n + 1);
    setStage({ kind: 'prejoin' });
  };
  if (stage.kind === 'waiting' && roomChunk) {
    return <roomChunk.WaitingPage lobby={stage.lobby} api={api} onAdmitted={() => void join()} onBack={back} />;
  }
  // The room page behind this one, hidden and not connected, from the moment its chunk is here: Join then
  // shows it and connects in the click's own task, with none of its rendering in the way of the SFU's
  // answer. The same element (by key) becomes the room, so nothing is rendered anew at the click.
  const room = roomChunk && (
    <roomChunk.ClassRoom
      key={`room-${visit}`}
      api={roomApi}
      me={me}
      grant={stage.kind === 'room' ? stage.grant : undefined}
      media={mediaAtJoin.current}
      onRejoin={back}
    />
  );
  // One fragment in both stages, the room first: at the click only the details below go.
  if (stage.kind === 'room') return <>{room}</>;

  return (
    <>
      {room}
      <PreJoinDetails me={me} api={api} timeZone={timeZone} locale={locale} view={view} onView={setView}>
        {canPublish && (
          <MediaPanel
            preview={preview}
            choice={choice}
            onChange={setChoice}
            cameraAllowed={cameraAllowed}
            onOpenInNewWindow={inFrame && launchToken ? openInNewWindow : undefined}
          />
        )}
        {handedOff && (
          <p class="notice" role="status">
            {t('prejoin.handedOff')}
          </p>
        )}
        <JoinStatus
          // Once the class went to a new window the page stops asking by itself; a click may still join here.
          refusal={handedOff && refusal?.retry === 'auto' ? { ...refusal, retry: 'manual' } : refusal}
          nextTryAt={retryIn}
          pending={pending}
          attempt={clicks}
          onJoin={() => {
            setClicks((n) => n + 1);
            void join();
          }}
        />
      </PreJoinDetails>
    </>
  );
}

/** Whether the role may publish on joining: not observers, and in webinar mode only instructors. */
function mayPublishAtJoin(me: MeResponse): boolean {
  if (me.user.role === 'observer') return false;
  return me.user.role === 'instructor' || me.activity?.settings.publishers !== 'instructors';
}

function isGrant(value: unknown): value is JoinGrant {
  const v = value as Partial<JoinGrant> | undefined;
  return typeof v?.url === 'string' && typeof v.token === 'string' && typeof v.expiresAt === 'string';
}

interface DetailsProps {
  me: MeResponse;
  api: ApiClient;
  view: View;
  onView: (view: View) => void;
  timeZone: string;
  locale: string;
  children: ComponentChildren;
}

/** The class, its schedule, and who you are; beside it, the tab with the class's attendance. */
function PreJoinDetails({ me, api, view, onView, timeZone, locale, children }: DetailsProps) {
  const settings = me.activity?.settings;
  const title = settings?.title ?? me.resourceLink?.title ?? t('common.appName');
  useDocumentTitle(title);
  return (
    <main class={view !== 'class' ? 'wide' : undefined}>
      <BrandLogo me={me} />
      <p class="eyebrow">{me.context?.title ?? me.platform.name}</p>
      <h1>{title}</h1>
      <ViewSwitch api={api} me={me} view={view} onView={onView}>
        <ClassDetails me={me} timeZone={timeZone} locale={locale}>
          {me.room && <RecordingNotice api={api} initial={me.room.recording} />}
          {children}
        </ClassDetails>
      </ViewSwitch>
    </main>
  );
}

/** The class tab: its schedule and who you are, then the media check and Join (the children). */
function ClassDetails({ me, timeZone, locale, children }: Omit<DetailsProps, 'api' | 'view' | 'onView'>) {
  const settings = me.activity?.settings;
  const schedule = settings?.startAt
    ? formatSchedule(settings.startAt, settings.durationMinutes, timeZone, locale)
    : undefined;
  return (
    <>
      {settings?.description && <p class="description">{settings.description}</p>}
      <dl class="facts">
        <dt>{t('prejoin.when')}</dt>
        <dd>
          {schedule ? <time dateTime={settings?.startAt ?? undefined}>{schedule}</time> : t('prejoin.noFixedTime')}
        </dd>
        {settings?.audioOnly && (
          <>
            <dt>{t('prejoin.format')}</dt>
            <dd>{t('prejoin.audioOnly')}</dd>
          </>
        )}
        <dt>{t('prejoin.signedInAs')}</dt>
        <dd>{me.user.name || t('prejoin.unnamedUser')}</dd>
      </dl>
      <p data-role={me.user.role}>
        {withParts(t('prejoin.joiningAs'), { role: <strong>{t(ROLE_TEXT[me.user.role])}</strong> })}
      </p>
      {children}
    </>
  );
}
