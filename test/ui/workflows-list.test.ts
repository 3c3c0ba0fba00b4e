// The workflows list: submit a DAG from the YAML editor (lint errors shown at their line first),
// see it appear and reach Succeeded live, filters that survive a reload, and batch delete.
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

const DIAMOND = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: diamond-
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - {name: a, template: say}
          - {name: b, template: say, dependencies: [a]}
          - {name: c, template: say, dependencies: [a]}
          - {name: d, template: say, dependencies: [b, c]}
    - name: say
      container:
        image: argoproj/argosay:v2
        args: [echo, hi]
`;

// Line 6 is the misspelt key.
const MISSPELT = DIAMOND.replace('  entrypoint: main', '  entrypont: main');

describe.skipIf(browser.missing !== undefined)('workflows list', () => {
  it('submits a DAG from the YAML editor after showing lint errors at their line, then shows it live until Succeeded', async () => {
    const env = await browser.open();
    const { page, url } = env;
    await page.goto(`${url}/workflows`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText('No workflows.').waitFor();

    await page.getByRole('button', { name: '+ Submit new workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit new workflow' });
    const editor = dialog.getByLabel('Workflow manifest');
    expect(await editor.inputValue()).toContain('kind: Workflow');

    await editor.fill(MISSPELT);
    // The server's lint marks the misspelt key's line in the gutter and lists it.
    await dialog.locator('.gutter-line.lint-error[data-line="6"]').waitFor();
    const problem = dialog.locator('.yaml-problems li.lint-error').first();
    expect(await problem.textContent()).toMatch(/^Line 6:3 .*entrypont/);
    expect(await dialog.getByRole('button', { name: 'Submit', exact: true }).isDisabled()).toBe(true);
    await env.screenshot('submit-yaml-lint');
    // A problem's button puts the cursor on its line.
    await problem.getByRole('button').click();
    const selection = await editor.evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    expect(selection).toBe('entrypont: main');

    // A YAML syntax error is marked at once, in the browser.
    await editor.fill('kind: Workflow\nspec: [unclosed\n');
    await dialog.locator('.gutter-line.lint-error').first().waitFor();

    await editor.fill(DIAMOND);
    await dialog.getByText('No problems found').waitFor();
    await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/workflows\/default\/diamond-[a-z0-9]+$/);
    const name = page.url().split('/').at(-1) ?? '';

    await page.goto(`${url}/workflows`);
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
    await row.waitFor();
    expect(await row.getByRole('link', { name }).getAttribute('href')).toBe(`/workflows/default/${name}`);
    await page.locator(`tbody tr[data-phase="Succeeded"]`, { has: page.getByRole('link', { name, exact: true }) }).waitFor({ timeout: 60_000 });
    expect(await row.locator('td').nth(6).textContent()).toBe('4/4');
    expect(await row.getByRole('img').getAttribute('aria-label')).toBe('Succeeded');
    await env.screenshot('workflows-list');
  });

  it('keeps filters and sorting in the URL across a reload, ticks and terminates a running workflow, and deletes selected ones after confirming', async () => {
    const env = await browser.open({ colorScheme: 'dark' });
    const { page, url } = env;
    const created: string[] = [];
    for (const n of ['alpha-one', 'alpha-two', 'beta-one']) {
      const res = await page.request.post(`${url}/api/v1/workflows/default`, {
        data: { workflow: { metadata: { name: n, labels: { team: n.split('-')[0] } }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] } } },
      });
      expect(res.status()).toBe(200);
      created.push(n);
    }
    await page.goto(`${url}/workflows`);
    for (const n of created) await page.getByRole('link', { name: n, exact: true }).waitFor();
    // Created after the page loaded: it arrives through the watch stream, without a reload.
    await page.request.post(`${url}/api/v1/workflows/default`, {
      data: { workflow: { metadata: { name: 'gamma-live' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] } } },
    });
    await page.getByRole('link', { name: 'gamma-live', exact: true }).waitFor();
    await env.screenshot('workflows-list-dark');

    await page.getByRole('searchbox', { name: 'Name', exact: true }).fill('alpha');
    await page.getByRole('searchbox', { name: 'Name', exact: true }).press('Enter');
    await page.waitForURL(/name=alpha/);
    await page.getByRole('link', { name: 'beta-one' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await page.waitForURL(/sort=name&dir=asc|dir=asc.*sort=name/);

    await page.reload();
    expect(await page.getByRole('searchbox', { name: 'Name', exact: true }).inputValue()).toBe('alpha');
    await page.getByRole('link', { name: 'alpha-two' }).waitFor();
    const names = async (): Promise<string[]> => page.locator('tbody td.name a').allTextContents();
    expect(await names()).toEqual(['alpha-one', 'alpha-two']);
    await page.getByRole('button', { name: 'Name', exact: true }).click(); // now descending
    await page.waitForURL(/dir=desc/);
    expect(await names()).toEqual(['alpha-two', 'alpha-one']);

    await page.getByRole('searchbox', { name: 'Labels' }).fill('team=beta');
    await page.getByRole('searchbox', { name: 'Labels' }).press('Enter');
    await page.getByText('No workflows with labels team=beta, named contains “alpha”.').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('link', { name: 'beta-one' }).waitFor();

    // Terminate a running workflow: its duration ticks while it runs, then it ends Failed, live.
    await page.request.post(`${url}/api/v1/workflows/default`, {
      data: { workflow: { metadata: { name: 'sleeper' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['sleep', '60'] } }] } } },
    });
    const sleeper = page.locator('tbody tr', { has: page.getByRole('link', { name: 'sleeper', exact: true }) });
    await page.locator('tbody tr[data-phase="Running"]', { has: page.getByRole('link', { name: 'sleeper', exact: true }) }).waitFor();
    const duration = sleeper.locator('td').nth(5);
    const before = await duration.textContent();
    await page.waitForFunction(([el, text]) => el?.textContent !== text, [await duration.elementHandle(), before] as const, { timeout: 5000 });
    await page.getByRole('checkbox', { name: 'Select sleeper' }).check();
    await page.getByRole('group', { name: 'Batch actions' }).getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog', { name: 'Terminate 1 workflow?' }).getByRole('button', { name: 'Terminate' }).click();
    await page.locator('tbody tr[data-phase="Failed"]', { has: page.getByRole('link', { name: 'sleeper', exact: true }) }).waitFor({ timeout: 30_000 });

    await page.getByRole('checkbox', { name: 'Select alpha-one' }).check();
    await page.getByRole('checkbox', { name: 'Select beta-one' }).check();
    await page.getByRole('group', { name: 'Batch actions' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 2 workflows?' });
    expect(await confirm.textContent()).toContain('default/alpha-one');
    // Escape cancels: nothing is deleted.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect((await page.request.get(`${url}/api/v1/workflows/default/alpha-one`)).status()).toBe(200);

    await page.getByRole('group', { name: 'Batch actions' }).getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('link', { name: 'alpha-one', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'beta-one', exact: true }).waitFor({ state: 'detached' });
    expect((await page.request.get(`${url}/api/v1/workflows/default/alpha-one`)).status()).toBe(404);
    expect((await page.request.get(`${url}/api/v1/workflows/default/beta-one`)).status()).toBe(404);
    await page.getByRole('link', { name: 'alpha-two', exact: true }).waitFor();
  });
});
