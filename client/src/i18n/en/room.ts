/** The live room, control bar, leader panel, chat and people list. */
export const room = {};
