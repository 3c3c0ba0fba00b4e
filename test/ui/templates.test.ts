// Template and cron workflow pages: create from YAML, edit and save, submit with parameters (from
// the template's page and from the list's Submit panel), suspend/resume, submit now, delete.
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

const TEMPLATE = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: greet
  namespace: default
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: message
        value: hello
      - name: mood
        value: calm
        enum: [calm, loud]
  templates:
    - name: main
      container:
        image: argoproj/argosay:v2
        args: [echo, "{{workflow.parameters.message}}"]
    - name: other
      container:
        image: argoproj/argosay:v2
        args: [echo, other]
`;

interface Wf {
  metadata: { name: string };
  spec: { entrypoint?: string; arguments?: { parameters?: { name: string; value?: string }[] } };
}

describe.skipIf(browser.missing !== undefined)('template and cron workflow pages', () => {
  it('creates a WorkflowTemplate, submits it with parameters, edits and deletes it', async () => {
    const env = await browser.open();
    const { page, url } = env;
    await page.goto(`${url}/workflow-templates`);
    await page.getByText('No workflow templates yet.').waitFor();
    await page.getByRole('button', { name: '+ Create' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create WorkflowTemplate' });
    await dialog.getByLabel('WorkflowTemplate manifest').fill(TEMPLATE);
    await dialog.getByText('No problems found').waitFor();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${url}/workflow-templates/default/greet`);

    // Submit from the template's page: parameters pre-filled, an enum is a choice.
    const form = page.locator('form.submit-form');
    expect(await form.getByLabel('message').inputValue()).toBe('hello');
    await form.getByLabel('message').fill('from the ui');
    await form.getByLabel('mood').selectOption('loud');
    await form.getByLabel('Entrypoint').selectOption('other');
    await form.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/workflows\/default\/greet-[a-z0-9]+$/);
    const name = page.url().split('/').at(-1) ?? '';
    const wf = (await (await page.request.get(`${url}/api/v1/workflows/default/${name}`)).json()) as Wf;
    expect(wf.spec.entrypoint).toBe('other');
    expect(wf.spec.arguments?.parameters).toEqual(expect.arrayContaining([{ name: 'message', value: 'from the ui' }, { name: 'mood', value: 'loud' }]));

    // Edit: a lint error blocks Save; a valid change is saved.
    await page.goto(`${url}/workflow-templates/default/greet`);
    const editor = page.getByLabel('Manifest', { exact: true });
    const original = await editor.inputValue();
    await editor.fill(original.replace('entrypoint: main', 'entrypoint: nowhere'));
    await page.locator('.yaml-problems li.lint-error').first().waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await editor.fill(original.replace('value: hello', 'value: bonjour'));
    await page.getByText('No problems found').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const saved = (await (await page.request.get(`${url}/api/v1/workflow-templates/default/greet`)).json()) as Wf;
    expect(saved.spec.arguments?.parameters?.[0]).toEqual({ name: 'message', value: 'bonjour' });

    // The list's Submit panel, From template tab.
    await page.goto(`${url}/workflows`);
    await page.getByRole('button', { name: '+ Submit new workflow' }).click();
    await page.getByRole('tab', { name: 'From template' }).click();
    const panel = page.getByRole('dialog', { name: 'Submit new workflow' });
    expect(await panel.getByRole('combobox', { name: 'Template' }).inputValue()).toBe('WorkflowTemplate/default/greet');
    expect(await panel.getByLabel('message').inputValue()).toBe('bonjour');
    await panel.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/workflows\/default\/greet-[a-z0-9]+$/);
    expect(page.url()).not.toContain(name);

    await page.goto(`${url}/workflow-templates`);
    await page.getByRole('link', { name: 'greet' }).click();
    await page.waitForURL(`${url}/workflow-templates/default/greet`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete WorkflowTemplate greet?' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${url}/workflow-templates`);
    expect((await page.request.get(`${url}/api/v1/workflow-templates/default/greet`)).status()).toBe(404);
  });

  it('lists a ClusterWorkflowTemplate and submits it into a chosen namespace', async () => {
    const env = await browser.open();
    const { page, url } = env;
    const template = { metadata: { name: 'cluster-hi' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] } };
    expect((await page.request.post(`${url}/api/v1/cluster-workflow-templates`, { data: { template } })).status()).toBe(200);
    await page.goto(`${url}/cluster-workflow-templates`);
    await page.getByRole('link', { name: 'cluster-hi' }).click();
    await page.waitForURL(`${url}/cluster-workflow-templates/cluster-hi`);
    const form = page.locator('form.submit-form');
    await form.getByLabel('Namespace').fill('team-x');
    await form.getByText('This template takes no parameters.').waitFor();
    await form.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/workflows\/team-x\/cluster-hi-[a-z0-9]+$/);
  });

  it('creates a cron workflow, suspends and resumes it, submits it now and deletes it', async () => {
    const env = await browser.open();
    const { page, url } = env;
    await page.goto(`${url}/cron-workflows`);
    await page.getByRole('button', { name: '+ Create' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create CronWorkflow' });
    expect(await dialog.getByLabel('CronWorkflow manifest').inputValue()).toContain('kind: CronWorkflow');
    await dialog.getByText('No problems found').waitFor();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${url}/cron-workflows/default/my-cron`);

    await page.goto(`${url}/cron-workflows`);
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: 'my-cron' }) });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['my-cron', 'default', '*/5 * * * *', 'no', 'never', '0']);
    await row.getByRole('link', { name: 'my-cron' }).click();

    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const cron = async (): Promise<{ spec: { suspend?: boolean } }> => (await page.request.get(`${url}/api/v1/cron-workflows/default/my-cron`)).json() as Promise<{ spec: { suspend?: boolean } }>;
    expect((await cron()).spec.suspend).toBe(true);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Suspend' }).waitFor();
    expect((await cron()).spec.suspend).toBeFalsy();

    await page.getByRole('button', { name: 'Submit now' }).click();
    await page.waitForURL(/\/workflows\/default\/my-cron-[a-z0-9]+$/);

    await page.goto(`${url}/cron-workflows/default/my-cron`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete CronWorkflow my-cron?' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${url}/cron-workflows`);
    await page.getByText('No cron workflows yet.').waitFor();
  });
});
