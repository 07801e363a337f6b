/** The room chunk: livekit-client and the in-room UI, loaded by the pre-join page while it is open. */
export { prepareConnection } from './room-connection';
export { RoomPage } from './room-page';
export { ClassRoom } from './breakouts/class-room';
export { WaitingPage } from './waiting-page';
