import type { Connection } from 'mongoose';
import type { Logger } from '../log.js';
import { EXPIRY_BUCKET_FIELD } from './expiry.js';

export interface IndexSpec {
  collection: string;
  keys: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  /** Expire documents this many seconds after the date in the (single) key field. */
  expireAfterSeconds?: number;
  /** With expireAfterSeconds: the store writes expiryFields() (src/db/expiry.ts) into every document. */
  expiryBucket?: true;
}

export interface ExpiryRule {
  collection: string;
  field: string;
  maxAgeSeconds: number;
  /** Its documents carry an expiry bucket: the cleanup job deletes them by bucket, not by date range. */
  bucketed: boolean;
}

export interface IndexResult {
  ttlSupported: boolean;
  /** TTL indexes the store refused; a cleanup job must enforce them instead. */
  expiryRules: ExpiryRule[];
}

/**
 * Creates every index explicitly. FerretDB v1 (our embedded store) rejects TTL indexes, so those are
 * turned into expiry rules for the cleanup job; real MongoDB gets the TTL index itself.
 */
export async function ensureIndexes(
  connection: Connection,
  specs: readonly IndexSpec[],
  logger: Logger,
): Promise<IndexResult> {
  const ttlSupported = await detectTtlSupport(connection);
  const expiryRules: ExpiryRule[] = [];
  const bucketIndexed = new Set<string>();
  for (const spec of specs) {
    const ttl = spec.expireAfterSeconds;
    if (ttl !== undefined && !ttlSupported) {
      const bucketed = spec.expiryBucket === true;
      expiryRules.push({
        collection: spec.collection,
        field: Object.keys(spec.keys)[0] as string,
        maxAgeSeconds: ttl,
        bucketed,
      });
      await createIndex(connection, { ...spec, expireAfterSeconds: undefined });
      if (bucketed && !bucketIndexed.has(spec.collection)) {
        bucketIndexed.add(spec.collection);
        const keys = { [EXPIRY_BUCKET_FIELD]: 1 } as const;
        await createIndex(connection, { collection: spec.collection, keys, name: 'expiryBucket' });
      }
      continue;
    }
    await createIndex(connection, spec);
  }
  logger.child({ module: 'db' }).info({ count: specs.length, ttlSupported }, 'indexes ensured');
  return { ttlSupported, expiryRules };
}

async function createIndex(connection: Connection, spec: IndexSpec): Promise<void> {
  const options: Record<string, unknown> = { name: spec.name };
  if (spec.unique) options.unique = true;
  if (spec.expireAfterSeconds !== undefined) options.expireAfterSeconds = spec.expireAfterSeconds;
  try {
    await connection.collection(spec.collection).createIndex(spec.keys, options);
  } catch (err) {
    // A configured retention changed (attendance.retentionDays): MongoDB refuses the index with its old TTL
    // as a conflict, and collMod changes the TTL in place instead of rebuilding the index.
    if (spec.expireAfterSeconds === undefined || (err as { code?: unknown }).code !== INDEX_OPTIONS_CONFLICT) {
      throw err;
    }
    await connection.db?.command({
      collMod: spec.collection,
      index: { name: spec.name, expireAfterSeconds: spec.expireAfterSeconds },
    });
  }
}

const INDEX_OPTIONS_CONFLICT = 85;

const PROBE_COLLECTION = '_capability_probe';

export async function detectTtlSupport(connection: Connection): Promise<boolean> {
  const probe = connection.collection(PROBE_COLLECTION);
  try {
    await probe.createIndex({ at: 1 }, { name: 'ttl_probe', expireAfterSeconds: 3600 });
    return true;
  } catch {
    return false;
  } finally {
    await probe.drop().catch(() => undefined);
  }
}

/** A unique index refused the insert: another writer got there first (the atomic step our stores rest on). */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;

/** Runs an insert of a unique key: true when it stored the document, false when that key was already there. */
export async function insertOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
