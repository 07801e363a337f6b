/** Launcher pages (loading, pre-join, deep linking, refusals, errors). */
export const pages = {};
