import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApiKey } from '../support/api-keys.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { saveScreenshot, startBrowserTest } from '../support/browser.js';
import type { TestEnvironment } from '../support/test-tool.js';

/** An id-only launch's guest link: the name page (en, es; light, dark; keyboard), then the pre-join. */
describe('guest links ask for a name before the pre-join (headless Chromium)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  let guestUrl: string;
  const contexts: BrowserContext[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest();
    const { key } = await createApiKey(env, 'guest names');
    const launched = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { authorization: `Organisation ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `guests-${process.pid}-${Date.now()}`, name: 'Open class' }),
    });
    assert.equal(launched.status, 201);
    const { client_url } = (await launched.json()) as { client_url: string };
    guestUrl = client_url.replace(env.config.server.publicUrl, env.tool.url);
  });
  afterEach(() => Promise.all(contexts.splice(0).map((c) => c.close())));
  after(() => browser?.close());

  const open = async (locale: string, colorScheme: 'light' | 'dark'): Promise<Page> => {
    const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1024, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(guestUrl);
    return page;
  };

  it('asks in English, is axe clean in light and dark, and a typed name plus Enter reaches the pre-join', async () => {
    const dark = await open('en-US', 'dark');
    await dark.getByRole('heading', { name: 'Join the live class' }).waitFor();
    await assertNoSeriousViolations(dark, 'guest name page (dark)');

    const page = await open('en-US', 'light');
    try {
      await assertNoSeriousViolations(page, 'guest name page (light)');
      const name = page.getByRole('textbox', { name: 'Your name' });
      assert.ok(
        await name.evaluate((el) => el === (el as any).ownerDocument.activeElement),
        'the name field has focus',
      );
      await page.keyboard.type('Ana Guest');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/launch');
      await page.getByRole('button', { name: 'Join the class' }).waitFor();
      await page.getByText('Ana Guest').first().waitFor();
    } catch (err) {
      await saveScreenshot(page, 'guest-name-failure').catch(() => undefined);
      throw err;
    }
  });

  it('asks in Spanish for a Spanish browser, and keeps the form with an alert for a blank name', async () => {
    const page = await open('es-ES', 'light');
    await page.getByRole('heading', { name: 'Entrar en la clase en directo' }).waitFor();
    const name = page.getByRole('textbox', { name: 'Tu nombre' });
    await name.fill('   ');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').getByText('Escribe el nombre que verán los demás').waitFor();
    await assertNoSeriousViolations(page, 'guest name page with an error (es)');
  });
});
