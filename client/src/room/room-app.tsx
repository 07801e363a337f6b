/** The room chunk: livekit-client and the in-room UI, loaded by the pre-join page when someone joins. */
export { RoomPage } from './room-page';
export { WaitingPage } from './waiting-page';
