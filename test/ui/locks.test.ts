// The locks page: a semaphore of limit 1 (from a ConfigMap) with one workflow holding it and one
// queued, both linked to their workflow pages.
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

async function api(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const parsed = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

const limited = (name: string): unknown => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name },
  spec: {
    entrypoint: 'main',
    synchronization: { semaphores: [{ configMapKeyRef: { name: 'my-config', key: 'workflow' } }] },
    templates: [{ name: 'main', container: { image: 'alpine', command: ['sh', '-c'], args: ['sleep 120'] } }],
  },
});

describe.skipIf(browser.missing !== undefined)('locks page', () => {
  it('lists a semaphore with its limit, its holder and its queued waiter, linked to their workflows', async () => {
    const env = await browser.open();
    const { page, url } = env;
    await api(url, 'POST', '/api/v1/sync/default', { key: 'workflow', limit: 1, cmName: 'my-config', type: 'CONFIGMAP' });
    await api(url, 'POST', '/api/v1/workflows/default', { workflow: limited('holder') });
    // The holder must have the lock before the waiter asks, so the roles are certain.
    for (let i = 0; i < 100; i++) {
      const { items } = (await api(url, 'GET', '/api/v1/sync-locks/default')) as { items: { holders: string[] }[] };
      if (items.some((l) => l.holders.includes('default/holder'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await api(url, 'POST', '/api/v1/workflows/default', { workflow: limited('waiter') });

    await page.goto(`${url}/locks`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'my-config/workflow' }) });
    await row.getByRole('list', { name: 'Queue of my-config/workflow' }).getByRole('link', { name: /default\/waiter/ }).waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-col="limit"]').textContent()).toMatch(/^1 \(1 in use\)$/);
    expect(await row.getByRole('cell', { name: 'semaphore', exact: true }).count()).toBe(1);
    const holder = row.getByRole('list', { name: 'Holders of my-config/workflow' }).getByRole('link');
    expect(await holder.allTextContents()).toEqual(['default/holder']);
    expect(await holder.getAttribute('href')).toBe('/workflows/default/holder');
    const waiter = row.getByRole('list', { name: 'Queue of my-config/workflow' }).getByRole('link');
    expect(await waiter.allTextContents()).toEqual(['default/waiter']);
    await env.screenshot('locks');

    // The link leads to the waiting workflow, which says what it waits for.
    await waiter.click();
    await page.waitForURL(`${url}/workflows/default/waiter`);
    await page.getByRole('tab', { name: 'Summary' }).click();
    await page.getByText('waits for default/ConfigMap/my-config/workflow').waitFor({ timeout: 10_000 });

    // When the holder goes, the waiter takes the lock and the page shows the new holder.
    await api(url, 'PUT', '/api/v1/workflows/default/holder/terminate', {});
    await page.goto(`${url}/locks`);
    await row.getByRole('list', { name: 'Holders of my-config/workflow' }).getByRole('link', { name: 'default/waiter' }).waitFor({ timeout: 15_000 });
    await api(url, 'PUT', '/api/v1/workflows/default/waiter/terminate', {});
  });
});
