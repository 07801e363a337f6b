import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clientBuildDir, projectRoot } from '../../src/paths.js';
import { useTestEnvironment, type TestEnvironment } from './test-tool.js';

/** Debian's chromium package; playwright's own browser downloads need internet, so we never use them. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const screenshotDir = (): string => path.join(projectRoot(), 'test-results');

/**
 * Features we disable on top of playwright's defaults. WebRtcHideLocalIpsWithMdns: with it on, a page
 * without camera/mic permission offers only `<uuid>.local` candidates, which never connect on loopback.
 */
const EXTRA_DISABLED_FEATURES = ['WebRtcHideLocalIpsWithMdns'];

/**
 * playwright-core 1.65's own --disable-features list (server/chromium/chromiumSwitches.ts), used when the
 * installed bundle cannot be read. Chromium keeps only the last --disable-features flag, so ours must
 * repeat playwright's list rather than add a second flag.
 */
const PLAYWRIGHT_DISABLED_FEATURES_1_65 = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

export interface LaunchOptions {
  /** Extra Chromium switches, appended after ours. Do not pass --disable-features here. */
  args?: string[];
}

/**
 * Headless Debian Chromium with fake camera and microphone (a test pattern and a beep), allowed to use
 * loopback ICE candidates. Playwright adds --headless and --no-sandbox and a fresh profile per launch.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM_PATH}, which is missing. Install it with ` +
        '`apt-get install -y chromium` (never `npx playwright install`: it downloads from the internet).',
    );
  }
  if (options.args?.some((a) => a.startsWith('--disable-features'))) {
    throw new Error('launchBrowser merges --disable-features itself; add features to EXTRA_DISABLED_FEATURES.');
  }
  const features = disabledFeatures();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Drop playwright's own flag so the merged one below is the only one (it would win anyway, being last).
    ignoreDefaultArgs: [`--disable-features=${features.playwright.join(',')}`],
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // Without it Chromium gathers no ICE candidates at all where only loopback exists.
      '--allow-loopback-in-peer-connection',
      `--disable-features=${features.merged.join(',')}`,
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
      ...(options.args ?? []),
    ],
  });
}

/** Playwright's default list, and that list plus ours for the one flag Chromium honours. */
export function disabledFeatures(): { playwright: string[]; merged: string[] } {
  const playwright = readPlaywrightDisabledFeatures() ?? PLAYWRIGHT_DISABLED_FEATURES_1_65;
  return { playwright, merged: [...new Set([...playwright, ...EXTRA_DISABLED_FEATURES])] };
}

/** Reads the `disabledFeatures = [...]` array literal from the installed playwright-core bundle. */
function readPlaywrightDisabledFeatures(): string[] | undefined {
  try {
    const require = createRequire(import.meta.url);
    const bundle = path.join(path.dirname(require.resolve('playwright-core/package.json')), 'lib', 'coreBundle.js');
    const source = readFileSync(bundle, 'utf8');
    const literal = /\bdisabledFeatures = \[([^\]]*)\]/.exec(source)?.[1];
    if (literal === undefined) return undefined;
    const names = [...literal.replace(/\/\/[^\n]*/g, '').matchAll(/"([A-Za-z0-9]+)"/g)].map((m) => m[1] as string);
    return names.length > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}

/** Saves a full-page PNG as test-results/<name>.png (gitignored) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir(), { recursive: true });
  const file = path.join(screenshotDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The usual start of a browser test: the built client, the real stack with the demo LMS, and one
 * Chromium, started in parallel.
 */
/**
 * A waitForFunction predicate written as a string (the test tsconfig has no DOM types), made a function:
 * playwright evaluates a polled string predicate with eval in the page, which the tool's Content-Security-Policy
 * (no 'unsafe-eval') refuses; a function is sent as source and called by DevTools, which CSP does not govern.
 */
export const inPage = (expression: string): (() => unknown) => new Function(`return (${expression});`) as () => unknown;

/** `overrides`: a tool of its own with those settings, on the shared stack (see useTestEnvironment). */
export async function startBrowserTest(overrides?: Record<string, string>): Promise<[TestEnvironment, Browser]> {
  if (!existsSync(path.join(clientBuildDir(), 'index.html'))) {
    throw new Error(`No client build in ${clientBuildDir()}: run \`npm run build:client\` before the e2e tests.`);
  }
  const [env, browser] = await Promise.all([useTestEnvironment(overrides), launchBrowser()]);
  if (!env.tool.demoUrl) throw new Error('the test configuration must enable the demo LMS');
  return [env, browser];
}
