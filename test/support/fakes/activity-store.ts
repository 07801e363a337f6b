import type { Activity, ActivityStore } from '../../../src/rooms/activity-settings.js';

/** ActivityStore in memory, with the same unique-id semantics as the mongoose one. */
export class MemoryActivityStore implements ActivityStore {
  readonly activities = new Map<string, Activity>();
  readonly links = new Map<string, string>();
  private next = 0;

  async create(activity: Omit<Activity, 'id' | 'createdAt'>): Promise<Activity> {
    const id = `act_${String(++this.next).padStart(16, '0')}`;
    return this.put({ ...activity, id });
  }

  async ensure(activity: Omit<Activity, 'createdAt'>): Promise<Activity> {
    return this.activities.get(this.keyOf(activity.platformId, activity.id)) ?? this.put(activity);
  }

  async find(platformId: string, id: string): Promise<Activity | undefined> {
    return this.activities.get(this.keyOf(platformId, id));
  }

  async linked(linkKey: string): Promise<string | undefined> {
    return this.links.get(linkKey);
  }

  async link(linkKey: string, activityId: string): Promise<void> {
    this.links.set(linkKey, activityId);
  }

  private put(activity: Omit<Activity, 'createdAt'>): Activity {
    const stored = { ...activity, createdAt: new Date() };
    this.activities.set(this.keyOf(activity.platformId, activity.id), stored);
    return stored;
  }

  private keyOf(platformId: string, id: string): string {
    return `${platformId}\u0000${id}`;
  }
}
