import { randomBytes } from 'node:crypto';
import { AGS_SCOPES, lineItemKeyOf, type GradeTarget } from './grade-target.js';
import { LmsCallError, type AgsClient, type LmsLineItem } from './lms-grades.js';

/**
 * The activity's line item, found again and never duplicated, across launches and tool instances:
 *   1. the launch's own line item (deep linked, or made by the LMS) wins;
 *   2. else the reference we stored for this platform + course + resource link;
 *   3. else the LMS's container, filtered by resource_link_id and our tag;
 *   4. else, with the lineitem scope and when allowed, we create it under a creation lease (a unique
 *      insert), after looking once more; a loser of the lease waits for the winner's reference.
 */

export type CannotPostReason = 'no-ags' | 'no-score-scope' | 'no-line-item-scope';

export interface LineItemRef {
  /** lineItemKeyOf(target). */
  key: string;
  url: string;
  label: string;
  scoreMaximum: number;
  createdAt: Date;
}

/** Implemented in src/db/line-item-store.ts. */
export interface LineItemRefStore {
  get(key: string): Promise<LineItemRef | undefined>;
  /** A unique insert by key: when another writer was first, its reference is returned instead. */
  put(ref: LineItemRef): Promise<LineItemRef>;
  /** Drops the reference to `url` (the LMS answered 404 for it); idempotent. */
  forget(key: string, url: string): Promise<void>;
  /** Takes the creation lease of the key by a unique insert; false while another holder's lease runs. */
  claimCreation(key: string, holder: string, now: Date, until: Date): Promise<boolean>;
}

export interface ResolvedLineItem {
  url: string;
  label: string;
  scoreMaximum: number;
  source: 'launch' | 'stored' | 'found' | 'created';
}

export type LineItemResolution =
  | { status: 'found'; lineItem: ResolvedLineItem }
  /** Nothing exists yet, and we may create it (asked with create: false). */
  | { status: 'creatable' }
  | { status: 'unavailable'; reason: CannotPostReason };

export interface LineItemResolverDeps {
  refs: LineItemRefStore;
  ags: Pick<AgsClient, 'findLineItem' | 'createLineItem'>;
  /** How long a creation lease holds (longer than the LMS calls it covers). */
  leaseMs?: number;
  /** How long a loser of the creation lease waits for the winner, and how often it looks. */
  waitMs?: number;
  pollMs?: number;
  /** How long a resolved line item is reused in this process. */
  cacheMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface LineItemResolver {
  resolve(target: GradeTarget, options: { create: boolean }): Promise<LineItemResolution>;
  /** The LMS no longer has this line item: forget it, so the next resolve looks (or creates) again. */
  forget(target: GradeTarget, url: string): Promise<void>;
}

/** Why grades cannot be posted to this target at all, before any line item is looked for. */
export function cannotPost(target: GradeTarget): CannotPostReason | undefined {
  if (!target.lineItemUrl && !target.lineItemsUrl) return 'no-ags';
  if (!target.scopes.includes(AGS_SCOPES.score)) return 'no-score-scope';
  return undefined;
}

const canList = (t: GradeTarget): boolean =>
  Boolean(t.lineItemsUrl) && (t.scopes.includes(AGS_SCOPES.lineItem) || t.scopes.includes(AGS_SCOPES.lineItemReadOnly));
const canCreate = (t: GradeTarget): boolean => Boolean(t.lineItemsUrl) && t.scopes.includes(AGS_SCOPES.lineItem);

export function createLineItemResolver(deps: LineItemResolverDeps): LineItemResolver {
  const leaseMs = deps.leaseMs ?? 60_000;
  const waitMs = deps.waitMs ?? 10_000;
  const pollMs = deps.pollMs ?? 250;
  const cacheMs = deps.cacheMs ?? 60_000;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const holder = randomBytes(9).toString('base64url');
  const cache = new Map<string, { item: ResolvedLineItem; at: number }>();

  const store = async (key: string, item: LmsLineItem, source: 'found' | 'created'): Promise<ResolvedLineItem> => {
    const ref = await deps.refs.put({
      key,
      url: item.url,
      label: item.label,
      scoreMaximum: item.scoreMaximum,
      createdAt: now(),
    });
    // Another instance stored first: its line item is the one (ours, if we made one, is never used).
    const won = ref.url === item.url;
    return { url: ref.url, label: ref.label, scoreMaximum: ref.scoreMaximum, source: won ? source : 'stored' };
  };
  const fromRef = (ref: LineItemRef): ResolvedLineItem => ({
    url: ref.url,
    label: ref.label,
    scoreMaximum: ref.scoreMaximum,
    source: 'stored',
  });

  const create = async (target: GradeTarget, key: string): Promise<ResolvedLineItem> => {
    const deadline = now().getTime() + waitMs;
    for (;;) {
      const at = now();
      if (await deps.refs.claimCreation(key, holder, at, new Date(at.getTime() + leaseMs))) {
        // Looked for once more under the lease: an instance that created it and died before storing the
        // reference must not make us add a second one.
        const again = await deps.ags.findLineItem(target);
        return store(key, again ?? (await deps.ags.createLineItem(target)), again ? 'found' : 'created');
      }
      await sleep(pollMs);
      const ref = await deps.refs.get(key);
      if (ref) return fromRef(ref);
      if (now().getTime() >= deadline) {
        const found = await deps.ags.findLineItem(target);
        if (found) return store(key, found, 'found');
        throw new LmsCallError({ stage: 'service', network: 'another instance of the tool is creating the line item' });
      }
    }
  };

  const find = async (target: GradeTarget, key: string, allowCreate: boolean): Promise<LineItemResolution> => {
    const ref = await deps.refs.get(key);
    if (ref) return { status: 'found', lineItem: fromRef(ref) };
    if (canList(target)) {
      const found = await deps.ags.findLineItem(target);
      if (found) return { status: 'found', lineItem: await store(key, found, 'found') };
    }
    if (!canCreate(target)) return { status: 'unavailable', reason: 'no-line-item-scope' };
    if (!allowCreate) return { status: 'creatable' };
    return { status: 'found', lineItem: await create(target, key) };
  };

  return {
    async resolve(target, options) {
      const reason = cannotPost(target);
      if (reason) return { status: 'unavailable', reason };
      if (target.lineItemUrl) {
        const item = { url: target.lineItemUrl, label: target.label, scoreMaximum: target.scoreMaximum };
        return { status: 'found', lineItem: { ...item, source: 'launch' } };
      }
      const key = lineItemKeyOf(target);
      const cached = cache.get(key);
      if (cached && now().getTime() - cached.at < cacheMs) return { status: 'found', lineItem: cached.item };
      const result = await find(target, key, options.create);
      if (result.status === 'found') cache.set(key, { item: result.lineItem, at: now().getTime() });
      return result;
    },
    async forget(target, url) {
      const key = lineItemKeyOf(target);
      cache.delete(key);
      await deps.refs.forget(key, url);
    },
  };
}
