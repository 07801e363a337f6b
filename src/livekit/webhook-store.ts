/** Which LiveKit webhooks were applied: LiveKit redelivers an event (same id) when it saw no 200 in time. */
export interface WebhookStore {
  seen(id: string): Promise<boolean>;
  /** True the first time this id is marked (a unique insert: of two concurrent markers, one is first). */
  mark(id: string, event: string, at: Date): Promise<boolean>;
}
