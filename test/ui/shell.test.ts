// The UI is served by `argot server` at `/` and routes deep links to the app (reload-safe).
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

describe.skipIf(browser.missing !== undefined)('web UI shell', () => {
  it('serves the app at / and at a deep link, and navigates between sections', async () => {
    const env = await browser.open();
    const { page, url } = env;
    await page.goto(url);
    await page.waitForURL(`${url}/workflows`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Locks' }).click();
    await page.waitForURL(`${url}/locks`);
    expect(await page.getByRole('link', { name: 'Locks' }).getAttribute('aria-current')).toBe('page');
    await page.goto(`${url}/cron-workflows`);
    expect(await page.getByRole('link', { name: 'Cron workflows' }).getAttribute('aria-current')).toBe('page');
    const missingAsset = await page.request.get(`${url}/assets/not-there.js`);
    expect(missingAsset.status()).toBe(404);
    const api = await page.request.get(`${url}/api/v1/not-there`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 5 });
  });
});
