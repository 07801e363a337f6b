/** In-room chat. */
export const chat = {};
