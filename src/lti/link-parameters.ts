/**
 * What the tool writes on the resource links it creates by deep linking, so a launch of the link can name
 * its activity. In Moodle a platform-level (tool-level) custom parameter overrides the link's own of the
 * same name, so the registration never asks for a custom parameter with one of these names.
 */
export const LINK_CUSTOM = { activityId: 'activity_id' } as const;
export const LINK_CUSTOM_NAMES: readonly string[] = Object.values(LINK_CUSTOM);

/** The same id in the link's launch URL (`/lti/launch?activity=…`), which platform settings cannot override. */
export const LINK_QUERY = { activityId: 'activity' } as const;

/** The launch URL of a link to `activityId`. */
export function linkLaunchUrl(launchUrl: string, activityId: string): string {
  const url = new URL(launchUrl);
  url.searchParams.set(LINK_QUERY.activityId, activityId);
  return url.toString();
}
