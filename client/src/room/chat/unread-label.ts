import { tp } from '../../i18n';

/** Words for the chat button's unread badge ("3 unread messages"), for its accessible name or a hidden span. */
export const unreadLabel = (count: number): string => tp('chat.unread', count);
