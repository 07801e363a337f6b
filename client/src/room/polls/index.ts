/**
 * Polls in the room: `usePolls(api, conn, ...)` in the page (it must hear pushes while the panel is closed),
 * `<PollsPanel>` in the side panel, `<PollCard>` for students. The server pushes `{ type: 'changed' }` on
 * topic 'poll' and the page fetches GET /api/room/polls again (docs/rooms.md, "Polls").
 */
export { PollsPanel } from './polls-panel';
export { PollCard } from './poll-card';
export { PollBallots, PollResults } from './poll-results';
export { usePolls, type Polls } from './use-polls';
