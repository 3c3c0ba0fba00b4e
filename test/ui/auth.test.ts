// A server that requires a bearer token: the UI asks for it once, keeps it in the cookie the
// server accepts, and its streams (EventSource, which cannot send headers) work with it.
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

describe.skipIf(browser.missing !== undefined)('web UI against a server that needs a token', () => {
  it('asks for the token, refuses a wrong one, and then lists workflows live', async () => {
    const env = await browser.open({ serverArgs: ['--token', 's3cret-token'] });
    const { page, url } = env;
    await page.goto(`${url}/workflows`);
    const dialog = page.getByRole('dialog', { name: 'This server needs a token' });
    await dialog.waitFor();
    await dialog.getByLabel('Bearer token').fill('wrong');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    await page.getByLabel('Bearer token').fill('s3cret-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The list's watch stream is live: the cookie reached the EventSource too.
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'authorization')?.value).toBe(encodeURIComponent('Bearer s3cret-token'));
  });
});
