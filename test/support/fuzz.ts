/**
 * Seeded inputs for the fuzz suite: a tiny PRNG (mulberry32, so a failing seed replays exactly) and
 * generators of the values that have broken web services before — wrong types, huge and empty strings,
 * unicode, NUL, `$`/`.` keys, `__proto__`, deep nesting — mixed into otherwise plausible requests.
 */

export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Strings a field should never trust: each once caused a 500, a stored-key error or an injection somewhere. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'x',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  'a\u0000b',
  '\u0000',
  '$where',
  '$set',
  '$gt',
  'a.b',
  '.',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE users; --",
  '{"$gt":""}',
  '\r\nSet-Cookie: a=b',
  'žluťoučký kůň 🐴',
  '\u202e\u0644\u0627 RTL',
  '\u200b\ufeff',
  '\ud800',
  'javascript:alert(1)',
  'http://127.0.0.1:1/',
  'http://',
  'https://lms.example/a\u0000b',
  '#ff00zz',
  '2026-13-45T25:61:00Z',
  'lck_' + 'A'.repeat(43),
  'a-0123456789abcdef',
];

/** A string: usually nasty, sometimes long (up to 70,000 characters, past every body limit). */
export function fuzzString(r: Prng): string {
  const roll = r.next();
  if (roll < 0.08) return 'x'.repeat(5000);
  if (roll < 0.12) return 'é'.repeat(20_000 + r.int(50_000));
  if (roll < 0.16) return String.fromCharCode(...Array.from({ length: 40 }, () => r.int(0x3000)));
  return r.pick(NASTY_STRINGS);
}

/** Any JSON value, nested at most `depth` deep; objects get `$`, dotted and `__proto__` keys. */
export function fuzzValue(r: Prng, depth = 2): unknown {
  switch (r.int(depth > 0 ? 10 : 7)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, -0, 2 ** 53 + 1, 1e308, -1e308, 4294967296]);
    case 3:
    case 4:
    case 5:
    case 6:
      return fuzzString(r);
    case 7:
      return Array.from({ length: r.int(4) }, () => fuzzValue(r, depth - 1));
    case 8:
      return fuzzObject(r, depth - 1);
    default:
      return deepNesting(r.pick([64, 512, 1500]));
  }
}

export function fuzzObject(r: Prng, depth = 1): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = r.int(4); i >= 0; i -= 1) {
    const key = r.pick(['$set', '$where', 'a.b', '__proto__', 'constructor', '', 'x'.repeat(300), fuzzString(r)]);
    // defineProperty: a plain assignment to __proto__ would change the prototype instead of adding a key.
    Object.defineProperty(object, key, {
      value: fuzzValue(r, depth),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return object;
}

function deepNesting(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/** `seed` with one to three fields replaced (same type or not), removed or joined by stray keys, or swapped whole. */
export function mutate(r: Prng, seed: unknown): unknown {
  if (!seed || typeof seed !== 'object' || Array.isArray(seed) || r.chance(0.12)) return fuzzValue(r);
  const copy = structuredClone(seed) as Record<string, unknown>;
  for (let edits = 1 + r.int(3); edits > 0; edits -= 1) {
    const key = r.pick(Object.keys(copy));
    const roll = r.next();
    if (key === undefined || roll >= 0.85) Object.assign(copy, fuzzObject(r));
    else if (roll < 0.7) copy[key] = replacement(r, copy[key]);
    else delete copy[key];
  }
  return copy;
}

/** Mostly a bad value of the same type (a string for a string), so validation gets past the type check. */
function replacement(r: Prng, current: unknown): unknown {
  if (typeof current === 'string') return r.chance(0.75) ? fuzzString(r) : fuzzValue(r);
  if (Array.isArray(current)) return r.chance(0.6) ? current.map((item) => replacement(r, item)) : fuzzValue(r);
  if (current && typeof current === 'object') return r.chance(0.6) ? mutate(r, current) : fuzzValue(r);
  return fuzzValue(r);
}

/** Values for path parameters and query strings (strings only: they travel in the URL). */
export function fuzzParam(r: Prng, plausible: readonly string[] = []): string {
  return plausible.length > 0 && r.chance(0.3) ? r.pick(plausible) : fuzzString(r).slice(0, 3000);
}

/** Values every field of a seed is tried with, one field at a time: wrong types, and strings that broke URL checks. */
export const SWEEP_VALUES: readonly unknown[] = [
  'x',
  '',
  'a\u0000b',
  `https://lms.example/${'a'.repeat(5000)}`,
  '$where',
  null,
  1,
  [],
  { $gt: '' },
];

/**
 * Every variant of `seed` with one leaf replaced by each of SWEEP_VALUES, plus `$set` and dotted keys at
 * every object level: deterministic, so every field of a plausible request meets every bad value.
 */
export function sweep(seed: unknown, stringsOnly = false): unknown[] {
  const values = stringsOnly ? SWEEP_VALUES.filter((v) => typeof v === 'string') : SWEEP_VALUES;
  const variants: unknown[] = [];
  const visit = (node: unknown, replace: (value: unknown) => unknown): void => {
    if (node && typeof node === 'object') {
      const entries = Object.entries(node);
      if (!Array.isArray(node) && !stringsOnly) {
        // With a sibling's value, so only the key is wrong: stored as given, it is what a store refuses.
        const sample = entries[0]?.[1] ?? 1;
        variants.push(replace({ ...node, $set: sample }), replace({ ...node, 'a.b': sample }));
      }
      for (const [key, child] of entries) {
        visit(child, (value) => {
          const copy: any = Array.isArray(node) ? [...node] : { ...node };
          copy[key] = value;
          return replace(copy);
        });
      }
      return;
    }
    for (const value of values) variants.push(replace(value));
  };
  visit(seed, (value) => value);
  return variants;
}
