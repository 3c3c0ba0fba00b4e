// The workflow page against a real server and pods: the graph follows a running DAG live, a node's
// logs stream into its panel, and Retry on a failed workflow runs it again.
import { describe, expect, it } from 'vitest';
import { browserTests } from './browser.js';

const browser = browserTests();

async function submit(url: string, workflow: unknown): Promise<string> {
  const res = await fetch(`${url}/api/v1/workflows/default`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ workflow }) });
  const body = (await res.json()) as { metadata?: { name?: string }; message?: string };
  if (!res.ok || !body.metadata?.name) throw new Error(`submit failed: ${res.status} ${JSON.stringify(body)}`);
  return body.metadata.name;
}

async function phaseOf(url: string, name: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v1/workflows/default/${name}`);
  return ((await res.json()) as { status?: { phase?: string } }).status?.phase;
}

const sh = (name: string, script: string): unknown => ({ name, container: { image: 'alpine', command: ['sh', '-c'], args: [script] } });

const diamond = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'diamond' },
  spec: {
    entrypoint: 'main',
    templates: [
      {
        name: 'main',
        dag: {
          tasks: [
            { name: 'a', template: 'first' },
            { name: 'b', template: 'middle', dependencies: ['a'] },
            { name: 'c', template: 'middle', dependencies: ['a'] },
            { name: 'd', template: 'middle', dependencies: ['b', 'c'] },
          ],
        },
      },
      sh('first', 'echo hello-from-a; sleep 3; echo a-done'),
      sh('middle', 'sleep 1; echo middle'),
    ],
  },
};

describe.skipIf(browser.missing !== undefined)('workflow page', () => {
  it('follows a running DAG live in the graph, and streams a node\'s logs into its panel', async () => {
    const env = await browser.open();
    const { page, url } = env;
    const name = await submit(url, diamond);
    await page.goto(`${url}/workflows/default/${name}`);
    // A marker that a reload would wipe: everything below must happen on this one page load.
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));

    const graph = page.getByRole('group', { name: 'Workflow graph' });
    await graph.getByRole('button', { name: 'a: Running', exact: true }).waitFor({ timeout: 15_000 });
    expect(await graph.getByRole('button', { name: /^d: / }).count()).toBe(0);
    await graph.getByRole('button', { name: 'a: Succeeded', exact: true }).waitFor({ timeout: 15_000 });
    await graph.getByRole('button', { name: 'd: Succeeded', exact: true }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('workflow-phase').textContent(), { timeout: 10_000 }).toBe('Succeeded');
    for (const task of ['b', 'c']) expect(await graph.getByRole('button', { name: `${task}: Succeeded`, exact: true }).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);

    // The layout toggle is kept in the URL.
    await page.getByRole('button', { name: 'Left to right' }).click();
    await page.waitForURL(/layout=LR/);

    // By keyboard: Enter on a node opens its panel and moves focus into it.
    await graph.getByRole('button', { name: 'a: Succeeded', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/nodeId=/);
    const panel = page.getByRole('complementary', { name: 'Node a' });
    await expect.poll(() => page.locator(':focus').textContent()).toBe('a');
    await expect.poll(() => panel.getByLabel('Log lines').textContent(), { timeout: 10_000 }).toContain('hello-from-a');
    expect(await panel.getByLabel('Log lines').textContent()).toContain('a-done');
    expect(await panel.getByLabel('Log lines').textContent()).not.toContain('middle');
    await env.screenshot('workflow-graph');

    // Escape closes the panel; the other tabs render the same workflow.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).not.toContain('nodeId=');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('a: Succeeded');
    await page.getByRole('tab', { name: 'YAML' }).click();
    expect(await page.getByLabel('Workflow YAML').textContent()).toContain(`name: ${name}`);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    expect(await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').count()).toBe(4);
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByRole('cell', { name: 'WorkflowSucceeded' }).waitFor({ timeout: 10_000 });
  });

  it('retries a failed workflow from its page and shows it running again', async () => {
    const env = await browser.open();
    const { page, url } = env;
    const name = await submit(url, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'fails' },
      spec: { entrypoint: 'main', templates: [sh('main', 'sleep 2; echo trying; exit 3')] },
    });
    await page.goto(`${url}/workflows/default/${name}`);
    const phase = page.getByTestId('workflow-phase');
    await expect.poll(() => phase.textContent(), { timeout: 20_000 }).toBe('Failed');
    const firstFinish = await page.evaluate(async (n) => ((await (await fetch(`/api/v1/workflows/default/${n}`)).json()) as { status: { finishedAt: string } }).status.finishedAt, name);

    const retry = page.getByRole('toolbar', { name: 'Workflow actions' }).getByRole('button', { name: 'Retry' });
    expect(await retry.isEnabled()).toBe(true);
    await retry.click();
    await expect.poll(() => phase.textContent(), { timeout: 10_000 }).toBe('Running');
    await page.getByRole('group', { name: 'Workflow graph' }).getByRole('button', { name: `${name}: Running`, exact: true }).waitFor();
    await expect.poll(() => phase.textContent(), { timeout: 20_000 }).toBe('Failed');
    expect(await phaseOf(url, name)).toBe('Failed');
    const secondFinish = await page.evaluate(async (n) => ((await (await fetch(`/api/v1/workflows/default/${n}`)).json()) as { status: { finishedAt: string } }).status.finishedAt, name);
    expect(Date.parse(secondFinish)).toBeGreaterThan(Date.parse(firstFinish));

    expect(await page.getByRole('toolbar', { name: 'Workflow actions' }).getByRole('button', { name: 'Terminate' }).isDisabled()).toBe(true);

    // The node panel retries from its node.
    await page.getByRole('group', { name: 'Workflow graph' }).getByRole('button', { name: `${name}: Failed`, exact: true }).click();
    await page.getByRole('complementary', { name: `Node ${name}` }).getByRole('button', { name: 'Retry from this node' }).click();
    await expect.poll(() => phase.textContent(), { timeout: 10_000 }).toBe('Running');
    await expect.poll(() => phase.textContent(), { timeout: 20_000 }).toBe('Failed');
  });
  it('resumes a suspended node with values for its output parameters', async () => {
    const env = await browser.open();
    const { page, url } = env;
    const name = await submit(url, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'approval' },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            steps: [
              [{ name: 'approve', template: 'approve' }],
              [{ name: 'report', template: 'report', arguments: { parameters: [{ name: 'choice', value: '{{steps.approve.outputs.parameters.choice}}' }] } }],
            ],
          },
          { name: 'approve', suspend: {}, outputs: { parameters: [{ name: 'choice', valueFrom: { supplied: {} }, enum: ['yes', 'no'] }] } },
          { name: 'report', inputs: { parameters: [{ name: 'choice' }] }, container: { image: 'alpine', command: ['sh', '-c'], args: ['echo chose-{{inputs.parameters.choice}}'] } },
        ],
      },
    });
    await page.goto(`${url}/workflows/default/${name}`);
    await page.getByRole('group', { name: 'Workflow graph' }).getByRole('button', { name: 'approve: Running', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Node approve' });
    await panel.getByLabel('choice').selectOption('no');
    await panel.getByRole('button', { name: 'Resume with these values' }).click();
    await expect.poll(() => page.getByTestId('workflow-phase').textContent(), { timeout: 20_000 }).toBe('Succeeded');
    await page.getByRole('group', { name: 'Workflow graph' }).getByRole('button', { name: 'report: Succeeded', exact: true }).click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Node report' }).getByLabel('Log lines').textContent(), { timeout: 10_000 }).toContain('chose-no');
  });
});
