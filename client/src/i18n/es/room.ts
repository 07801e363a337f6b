import type { room as en } from '../en/room';

export const room: Record<keyof typeof en, string> = {};
