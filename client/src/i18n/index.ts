import { en } from './en';

/** Every message the launcher shows, by key; English is the reference catalog. */
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
export type Language = 'en' | 'es';
type Vars = Record<string, string | number>;

/** Keys that come as a `.one` / `.other` pair (Intl.PluralRules picks one). */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];

const LOADERS: Record<Language, () => Promise<Catalog>> = {
  en: () => Promise.resolve(en),
  es: () => import('./es').then((m) => m.es),
};

let catalog: Catalog = en;
let language: Language = 'en';
let tag = 'en';
let rules = new Intl.PluralRules('en');

/** The catalog language for a BCP 47 tag from the launch ('es-MX' → 'es'); English otherwise. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'es' ? 'es' : 'en';
}

/**
 * Switches every later `t()` to the catalog for `locale` (loaded on demand, so English users never
 * download another language) and sets the document's lang. Call before rendering the page that needs it.
 */
export async function setLocale(locale: string | undefined): Promise<void> {
  const next = languageOf(locale);
  catalog = await LOADERS[next]();
  language = next;
  // Keep the launch's own tag (es-MX dates) only when its language has a catalog: no French dates in English text.
  const primary = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  tag = locale && primary === next ? locale.replace('_', '-') : next;
  try {
    rules = new Intl.PluralRules(tag);
  } catch {
    // A malformed tag from the LMS: the language's own rules and formats.
    tag = next;
    rules = new Intl.PluralRules(next);
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

export const currentLanguage = (): Language => language;

/** The BCP 47 tag for Intl formatting (the launch's own tag when its language has a catalog). */
export const currentLocale = (): string => tag;

/** The message for `key` with `{name}` placeholders filled in. */
export function t(key: MessageKey, vars?: Vars): string {
  const template = catalog[key] ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A counted message: `{count}` plus the plural form the language needs for it. */
export function tp(key: PluralKey, count: number, vars?: Vars): string {
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}` as MessageKey, { count, ...vars });
}
