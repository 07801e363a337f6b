/**
 * Expiry a store without TTL indexes (FerretDB v1) can afford. FerretDB v1 filters in PostgreSQL only by
 * equality (never `$lt`), so "every document older than X" reads and decodes the whole collection. A store
 * writes, next to a document's date, the minute it becomes due (`expiryBucket`); the cleanup job then
 * deletes each minute that has fully passed with one equality, whose cost follows what it deletes.
 * On MongoDB the TTL index does the work and the field is merely carried along.
 */
export const EXPIRY_BUCKET_FIELD = 'expiryBucket';
export const EXPIRY_BUCKET_MS = 60_000;

/** The bucket of a due time: buckets below expiryBucketOf(now) have fully passed. */
export const expiryBucketOf = (at: Date | number): number =>
  Math.floor((typeof at === 'number' ? at : at.getTime()) / EXPIRY_BUCKET_MS);

/**
 * Spread into every document a store writes to a collection whose index specs say `expiryBucket: true`;
 * `dueAt` is when the earliest of its expiry rules removes it. Reads must still refuse a document by its
 * date: its bucket may be deleted up to a couple of minutes late.
 */
export const expiryFields = (dueAt: Date): { expiryBucket: number } => ({ expiryBucket: expiryBucketOf(dueAt) });

/** The mongoose schema path for the field (strict schemas drop fields they do not declare). */
export const expiryBucketPath = { [EXPIRY_BUCKET_FIELD]: { type: Number } } as const;
