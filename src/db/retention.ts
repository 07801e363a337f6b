import { expiryFields } from './expiry.js';
import type { IndexSpec } from './indexes.js';

/** How long attendance facts and records are kept when the config says nothing (attendance.retentionDays). */
export const DEFAULT_RETENTION_DAYS = 400;

/**
 * A retention period as the stores use it: the TTL of the index specs, and the expiry bucket written into
 * each document (src/db/expiry.ts) so FerretDB deletes it by minute, not by scanning.
 */
export interface Retention {
  seconds: number;
  /** Spread into a document written at `at`. */
  fields(at: Date): { expiryBucket: number };
  /** A TTL index spec on `field` (the document's date) for the cleanup job or MongoDB. */
  index(collection: string, field: string): IndexSpec;
}

export function retentionOf(days: number = DEFAULT_RETENTION_DAYS): Retention {
  const seconds = days * 24 * 60 * 60;
  return {
    seconds,
    fields: (at) => expiryFields(new Date(at.getTime() + seconds * 1000)),
    index: (collection, field) => ({
      collection,
      keys: { [field]: 1 },
      name: `${field}_retention`,
      expireAfterSeconds: seconds,
      expiryBucket: true,
    }),
  };
}
