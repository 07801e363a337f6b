import type { MeResponse } from '../api/contract';
import type { ApiClient } from '../api/client';
import { AttendancePanel, attendanceLabel } from '../attendance/attendance-tab';
import { t } from '../i18n';
import { ChatPanel, type Chat } from './chat';
import type { SidePanel as Panel } from './control-bar';
import { LeaderPanel, type useLeaderState } from './leader-panel';
import type { ParticipantModel } from './participant-model';
import { PeopleList } from './people-list';
import { PollsPanel, type Polls } from './polls';
import type { RoomMetadata } from './room-connection';

interface Props {
  api: ApiClient;
  me: MeResponse;
  panel: Panel | undefined;
  onClose: () => void;
  participants: ParticipantModel[];
  leader: ReturnType<typeof useLeaderState>;
  chat: Chat;
  chatEnabled: boolean;
  polls: Polls;
  classLayout: RoomMetadata['layout'];
}

/**
 * The panel beside the stage (over it on narrow frames): the people (the leader's controls for a
 * teacher), the attendance, the polls or the chat. Polls and chat stay mounted while hidden, so a draft
 * survives closing them.
 */
export function SidePanel({ api, me, panel, onClose, participants, leader, chat, chatEnabled, polls, ...rest }: Props) {
  const isLeader = me.user.role === 'instructor';
  const local = participants.find((p) => p.isLocal);
  return (
    <aside
      class="side-panel"
      hidden={!panel}
      data-panel={panel}
      aria-label={panel === 'attendance' ? attendanceLabel(me) : t('room.side.label')}
    >
      {panel && (
        <button type="button" class="secondary panel-close" onClick={onClose}>
          {t('room.side.close')}
        </button>
      )}
      {panel === 'people' &&
        (isLeader ? (
          <LeaderPanel
            api={api}
            participants={participants}
            waiting={leader.waiting}
            locked={leader.locked}
            chatEnabled={chatEnabled}
            webinar={me.activity?.settings.publishers === 'instructors'}
            layout={rest.classLayout}
            onDone={(done) => {
              if (done.kind === 'waiting') leader.setWaiting((w) => w.filter((x) => x.identity !== done.identity));
              else if (done.action === 'lock' || done.action === 'unlock') leader.setLocked(done.action === 'lock');
              else if (done.action === 'chat-on' || done.action === 'chat-off')
                leader.setChatEnabled(done.action === 'chat-on');
            }}
          />
        ) : (
          <PeopleList participants={participants} />
        ))}
      {panel === 'attendance' && <AttendancePanel api={api} me={me} />}
      <PollsPanel polls={polls} visible={panel === 'polls'} isLeader={isLeader} canVote={me.user.role !== 'observer'} />
      <ChatPanel
        chat={chat}
        visible={panel === 'chat'}
        // Until the SFU's permission arrives, assume what the role gets (not a false "chat is off").
        canSend={local?.participant.permissions?.canPublishData ?? me.user.role !== 'observer'}
        chatEnabled={chatEnabled}
        isLeader={isLeader}
      />
    </aside>
  );
}
