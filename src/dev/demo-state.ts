import { randomBytes } from 'node:crypto';

/** In-memory state of the demo course: activities (resource links), AGS line items and scores. */

export interface Activity {
  resourceLinkId: string;
  title: string;
  /** Custom parameters sent in the launch (set by deep linking). */
  custom: Record<string, string>;
  /** The URL the tool chose when it created the link: its launches target it (target_link_uri). */
  url?: string;
  text?: string;
}

export interface LineItem {
  id: string;
  scoreMaximum: number;
  label: string;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export interface Score {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
}

export const FIRST_ACTIVITY: Activity = {
  resourceLinkId: 'demo-live-class-1',
  title: 'Live class',
  custom: {},
};

export class CourseState {
  readonly activities: Activity[] = [{ ...FIRST_ACTIVITY }];
  /**
   * The tool's tool-level custom parameters, as an LMS admin has them in the tool's configuration. As in
   * Moodle, they are sent with every launch and override a link's own parameter of the same name.
   */
  toolCustom: Record<string, string>;

  constructor(toolCustom: Record<string, string> = {}) {
    this.toolCustom = { ...toolCustom };
  }
  private readonly lineItems = new Map<string, LineItem>();
  private readonly scores = new Map<string, Map<string, Score>>();
  private nextLineItem = 1;
  /** deep_linking_settings.data values we issued, so a response must echo one of them. */
  private readonly deepLinkData = new Map<string, number>();

  activity(resourceLinkId: string): Activity | undefined {
    return this.activities.find((a) => a.resourceLinkId === resourceLinkId);
  }

  addActivity(input: Omit<Activity, 'resourceLinkId'>): Activity {
    let n = this.activities.length + 1;
    while (this.activity(`demo-activity-${n}`)) n++;
    const activity: Activity = { resourceLinkId: `demo-activity-${n}`, ...input };
    this.activities.push(activity);
    return activity;
  }

  listLineItems(): LineItem[] {
    return [...this.lineItems.values()];
  }

  lineItem(id: string): LineItem | undefined {
    return this.lineItems.get(id);
  }

  createLineItem(input: Omit<LineItem, 'id'>): LineItem {
    const item: LineItem = { ...input, id: String(this.nextLineItem++) };
    this.lineItems.set(item.id, item);
    return item;
  }

  replaceLineItem(id: string, input: Omit<LineItem, 'id'>): LineItem | undefined {
    if (!this.lineItems.has(id)) return undefined;
    const item: LineItem = { ...input, id };
    this.lineItems.set(id, item);
    return item;
  }

  deleteLineItem(id: string): boolean {
    this.scores.delete(id);
    return this.lineItems.delete(id);
  }

  /** Keeps the latest score per user; returns false (and keeps the old one) if the incoming one is older. */
  putScore(lineItemId: string, score: Score): boolean {
    let byUser = this.scores.get(lineItemId);
    if (!byUser) this.scores.set(lineItemId, (byUser = new Map()));
    const existing = byUser.get(score.userId);
    if (existing && Date.parse(existing.timestamp) > Date.parse(score.timestamp)) return false;
    byUser.set(score.userId, score);
    return true;
  }

  scoresOf(lineItemId: string): Score[] {
    return [...(this.scores.get(lineItemId)?.values() ?? [])];
  }

  issueDeepLinkData(): string {
    const data = `dl-${randomBytes(12).toString('base64url')}`;
    this.deepLinkData.set(data, Date.now());
    // Bounded: forget the oldest requests beyond 500 outstanding.
    for (const key of this.deepLinkData.keys()) {
      if (this.deepLinkData.size <= 500) break;
      this.deepLinkData.delete(key);
    }
    return data;
  }

  hasDeepLinkData(data: string): boolean {
    return this.deepLinkData.has(data);
  }

  /** A data value may be answered once. */
  consumeDeepLinkData(data: string): boolean {
    return this.deepLinkData.delete(data);
  }
}
