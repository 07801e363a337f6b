import assert from 'node:assert/strict';

/** Loaded by path at run time: the server typecheck must not follow the client's bundler-style imports. */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

type Theme = 'light' | 'dark';
interface StyleTarget {
  setProperty(name: string, value: string): void;
  removeProperty(name: string): string;
}
const {
  NEAR_BLACK,
  THEME_BACKGROUNDS,
  WHITE,
  accentFor,
  applyBranding,
  brandVariables,
  contrastRatio,
  logoSource,
  parseHex,
  readableTextOn,
  relativeLuminance,
} = (await load('branding.ts')) as {
  NEAR_BLACK: string;
  WHITE: string;
  THEME_BACKGROUNDS: Record<Theme, readonly string[]>;
  accentFor(brand: string, theme: Theme): { accent: string; onAccent: string };
  applyBranding(branding: { color?: string } | undefined, style: StyleTarget): void;
  brandVariables(color: string | undefined): Record<string, string> | undefined;
  contrastRatio(a: string, b: string): number;
  logoSource(url: string | undefined, base?: string): string | undefined;
  parseHex(color: string | undefined): readonly number[] | undefined;
  readableTextOn(background: string): string;
  relativeLuminance(color: string): number;
};

/** The platform's brand colour in the launcher (client/src/branding.ts): WCAG contrast in both themes. */
describe('client branding', () => {
  it('reads #rrggbb only', () => {
    assert.deepEqual(parseHex('#1F4f9c'), [0x1f, 0x4f, 0x9c]);
    for (const bad of ['1f4f9c', '#fff', '#12345g', 'red', '', undefined, '#1f4f9c; background: url(x)']) {
      assert.equal(parseHex(bad), undefined, String(bad));
    }
  });

  it('computes WCAG luminance and contrast', () => {
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(relativeLuminance('#ffffff'), 1);
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#777777', '#777777'), 1);
    // The light theme's own accent on white: about 7.9:1.
    assert.ok(Math.abs(contrastRatio('#1f4f9c', '#ffffff') - 7.9) < 0.05);
  });

  it('puts white on dark colours and near-black on light ones', () => {
    const cases: Array<[string, string]> = [
      ['#1f4f9c', WHITE],
      ['#000000', WHITE],
      ['#c8102e', WHITE],
      ['#ffffff', NEAR_BLACK],
      ['#ffcc00', NEAR_BLACK],
      ['#8cb4ff', NEAR_BLACK],
    ];
    for (const [background, text] of cases) assert.equal(readableTextOn(background), text, background);
  });

  it('keeps a colour that already passes in a theme', () => {
    assert.deepEqual(accentFor('#1f4f9c', 'light'), { accent: '#1f4f9c', onAccent: WHITE });
    assert.deepEqual(accentFor('#8cb4ff', 'dark'), { accent: '#8cb4ff', onAccent: NEAR_BLACK });
  });

  it('darkens a pale colour for the light theme and lightens a dark one for the dark theme', () => {
    const light = accentFor('#ffcc00', 'light');
    assert.ok(relativeLuminance(light.accent) < relativeLuminance('#ffcc00'));
    const dark = accentFor('#0b1a40', 'dark');
    assert.ok(relativeLuminance(dark.accent) > relativeLuminance('#0b1a40'));
  });

  // Every colour of a coarse grid over RGB (4096 colours) in both themes: the axe-core contrast rules hold.
  it('always gives 3:1 against the page and 4.5:1 for the text on it', () => {
    const steps = [0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255];
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    for (const r of steps)
      for (const g of steps)
        for (const b of steps) {
          const brand = `#${hex(r)}${hex(g)}${hex(b)}`;
          for (const theme of ['light', 'dark'] as Theme[]) {
            const { accent, onAccent } = accentFor(brand, theme);
            for (const bg of THEME_BACKGROUNDS[theme]) {
              assert.ok(contrastRatio(accent, bg) >= 3, `${brand} ${theme}: ${accent} on ${bg}`);
            }
            assert.ok(contrastRatio(accent, onAccent) >= 4.5, `${brand} ${theme}: ${onAccent} on ${accent}`);
          }
        }
  });

  it('sets the four variables, and removes them without a valid colour', () => {
    const style = new Map<string, string>();
    const target: StyleTarget = {
      setProperty: (name, value) => void style.set(name, value),
      removeProperty: (name) => {
        style.delete(name);
        return '';
      },
    };
    applyBranding({ color: '#C8102E' }, target);
    assert.deepEqual(Object.fromEntries(style), brandVariables('#c8102e'));
    assert.equal(style.size, 4);
    applyBranding({ color: 'javascript:alert(1)' }, target);
    assert.equal(style.size, 0);
    applyBranding({ color: '#c8102e' }, target);
    applyBranding(undefined, target);
    assert.equal(style.size, 0);
  });

  it('accepts http(s) logo addresses only', () => {
    assert.equal(logoSource('https://lms.example/logo.png'), 'https://lms.example/logo.png');
    assert.equal(logoSource('/logo.svg', 'https://tool.example/launch'), 'https://tool.example/logo.svg');
    assert.equal(logoSource('javascript:alert(1)'), undefined);
    assert.equal(logoSource('data:image/svg+xml,<svg/>'), undefined);
    assert.equal(logoSource('not a url'), undefined);
    assert.equal(logoSource(undefined), undefined);
  });
});
