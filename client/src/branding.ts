import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { MeResponse } from './api/contract';
import { t } from './i18n';

/**
 * The platform's brand colour and logo from GET /api/me. The colour replaces the accent (buttons, notice
 * borders) in each theme, adjusted just enough to stay readable: WCAG 3:1 against the page and 4.5:1 for the
 * text on it, so the axe-core checks hold for any colour an LMS admin picks. The colour maths is pure (no
 * DOM), so mocha tests it under Node; `h` instead of JSX keeps this a plain .ts module.
 */

export type Branding = NonNullable<MeResponse['branding']>;

type Rgb = readonly [number, number, number];
export type Theme = 'light' | 'dark';

export const WHITE = '#ffffff';
/** The dark theme's own --on-accent. */
export const NEAR_BLACK = '#0b1526';
const BLACK = '#000000';

/** Each theme's --bg and --surface in styles.css (keep in sync): the accent must stand out on both. */
export const THEME_BACKGROUNDS: Record<Theme, readonly string[]> = {
  light: ['#f7f8fa', '#ffffff'],
  dark: ['#14171c', '#1e232b'],
};

/** WCAG minimums: 3:1 for a button against the page, 4.5:1 for normal text. */
const PAGE_CONTRAST = 3;
const TEXT_CONTRAST = 4.5;

export function parseHex(color: string | undefined): Rgb | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color?.trim() ?? '');
  return m ? [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)] : undefined;
}

const toHex = (rgb: Rgb): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance of a #rrggbb colour (0 black .. 1 white). */
export function relativeLuminance(color: string): number {
  const rgb = parseHex(color);
  if (!rgb) throw new Error(`not a #rrggbb colour: ${color}`);
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function readableTextOn(background: string): string {
  return contrastRatio(background, WHITE) >= contrastRatio(background, NEAR_BLACK) ? WHITE : NEAR_BLACK;
}

/**
 * The colour closest to `color` on the way to `target` (black or white) that passes `ok`; `target` itself
 * must pass. Binary search over the mix, judged on the rounded hex so the answer really passes.
 */
function shiftUntil(color: string, target: string, ok: (c: string) => boolean): string {
  if (ok(color)) return color;
  const from = parseHex(color) as Rgb;
  const to = parseHex(target) as Rgb;
  const at = (amount: number) => toHex(from.map((c, i) => c + ((to[i] as number) - c) * amount) as unknown as Rgb);
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (ok(at(mid))) hi = mid;
    else lo = mid;
  }
  return at(hi);
}

export interface AccentColors {
  accent: string;
  onAccent: string;
}

/** The brand colour as `theme`'s accent and the text colour on it. */
export function accentFor(brand: string, theme: Theme): AccentColors {
  const fitsPage = (c: string) => THEME_BACKGROUNDS[theme].every((bg) => contrastRatio(c, bg) >= PAGE_CONTRAST);
  // Too pale on the light page: darken; too dark on the dark page: lighten.
  let accent = shiftUntil(brand.toLowerCase(), theme === 'light' ? BLACK : WHITE, fitsPage);
  const onAccent = readableTextOn(accent);
  // Mid-luminance colours read poorly with either text: move away from the text until it passes. This
  // stays within the page limit above (checked by the unit tests over many colours).
  accent = shiftUntil(accent, onAccent === WHITE ? BLACK : WHITE, (c) => contrastRatio(c, onAccent) >= TEXT_CONTRAST);
  return { accent, onAccent };
}

/** The custom properties the :root block of styles.css reads (with the theme's own colours as fallback). */
export const BRAND_VARIABLES = [
  '--brand-accent-light',
  '--brand-on-accent-light',
  '--brand-accent-dark',
  '--brand-on-accent-dark',
] as const;

/** The variables for a brand colour, or undefined when there is no valid #rrggbb colour. */
export function brandVariables(
  color: string | undefined,
): Record<(typeof BRAND_VARIABLES)[number], string> | undefined {
  if (!color || !parseHex(color)) return undefined;
  const light = accentFor(color, 'light');
  const dark = accentFor(color, 'dark');
  return {
    '--brand-accent-light': light.accent,
    '--brand-on-accent-light': light.onAccent,
    '--brand-accent-dark': dark.accent,
    '--brand-on-accent-dark': dark.onAccent,
  };
}

/** Applies (or, without a colour, removes) the brand colour on the document's root element. */
export function applyBranding(
  branding: Branding | undefined,
  style: Pick<CSSStyleDeclaration, 'setProperty' | 'removeProperty'> = document.documentElement.style,
): void {
  const vars = brandVariables(branding?.color);
  for (const name of BRAND_VARIABLES) {
    if (vars) style.setProperty(name, vars[name]);
    else style.removeProperty(name);
  }
}

/** An http(s) logo address (absolute, or relative to `base`), or undefined for anything else. */
export function logoSource(url: string | undefined, base?: string): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The platform's logo above a page's heading; nothing when there is none or it fails to load. */
export function BrandLogo({ me }: { me: MeResponse }) {
  const [failed, setFailed] = useState(false);
  const src = logoSource(me.branding?.logoUrl, location.href);
  if (!src || failed) return null;
  return h('img', {
    src,
    alt: t('branding.logoAlt', { platform: me.platform.name }),
    class: 'brand-logo',
    referrerpolicy: 'no-referrer',
    onError: () => setFailed(true),
    // Inline, so this module needs no stylesheet (it is imported by Node tests too).
    style: {
      display: 'block',
      height: '32px',
      width: 'auto',
      maxWidth: '100%',
      objectFit: 'contain',
      objectPosition: 'left',
      marginBottom: '0.5rem',
    },
  });
}
