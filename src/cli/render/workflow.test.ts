import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { displayWidth, stripAnsi } from './display-width.js';
import { fnv32a } from './pod-name.js';
import { renderProgressLine } from './progress.js';
import { renderWorkflow } from './workflow.js';

// Hand-built statuses shaped like the controller's: IDs `<wf>-<fnv32a(name)>`, StepGroups between
// steps, `boundaryID` pointing at the enclosing Steps/DAG node.
const T0 = Date.parse('2024-05-01T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const NOW = new Date(T0 + 120_000);

function builder(wfName: string) {
  const id = (name: string): string => (name === wfName ? wfName : `${wfName}-${fnv32a(name)}`);
  const node = (name: string, fields: Partial<NodeStatus> & { children?: string[] } = {}): NodeStatus => ({
    id: id(name),
    name,
    displayName: name === wfName ? wfName : name.slice(name.lastIndexOf('.') + 1),
    type: 'Pod',
    phase: 'Succeeded',
    ...fields,
    boundaryID: fields.boundaryID === undefined ? undefined : id(fields.boundaryID),
    children: fields.children?.map(id),
  });
  const workflow = (nodes: NodeStatus[], status: Partial<Workflow['status']> = {}): Workflow => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: wfName, namespace: 'argo', creationTimestamp: at(0) },
    spec: { entrypoint: 'main' },
    status: { phase: 'Succeeded', startedAt: at(0), finishedAt: at(10), nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), ...status },
  });
  return { node, workflow };
}

/** The table part of `argo get`, i.e. everything after the header's blank line. */
function tableOf(text: string): string {
  return text.slice(text.indexOf('\n\n') + 2);
}

function stepsWorkflow(): Workflow {
  const W = 'steps-z2zdn';
  const { node, workflow } = builder(W);
  return workflow([
    node(W, { type: 'Steps', templateName: 'hello-hello-hello', children: [`${W}[0]`], startedAt: at(0), finishedAt: at(10) }),
    node(`${W}[0]`, { type: 'StepGroup', displayName: '[0]', boundaryID: W, children: [`${W}[0].hello1`] }),
    node(`${W}[0].hello1`, { templateName: 'print-message', boundaryID: W, children: [`${W}[1]`], startedAt: at(0), finishedAt: at(2) }),
    node(`${W}[1]`, { type: 'StepGroup', displayName: '[1]', boundaryID: W, children: [`${W}[1].hello2a`, `${W}[1].hello2b`] }),
    node(`${W}[1].hello2a`, { templateName: 'print-message', boundaryID: W, startedAt: at(3), finishedAt: at(6) }),
    node(`${W}[1].hello2b`, { templateName: 'print-message', boundaryID: W, startedAt: at(3), finishedAt: at(6) }),
  ]);
}

describe('renderWorkflow', () => {
  const savedTz = process.env['TZ'];
  beforeAll(() => {
    process.env['TZ'] = 'UTC';
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  });

  it('draws parallel steps branching off one line, as argo does', () => {
    const text = renderWorkflow(stepsWorkflow(), { color: false, now: NOW });
    // Hashes match Argo's docs (steps.md) for the same node names.
    expect(tableOf(text)).toBe(
      [
        'STEP            TEMPLATE           PODNAME                               DURATION  MESSAGE',
        ' ✔ steps-z2zdn  hello-hello-hello',
        ' ├───✔ hello1   print-message      steps-z2zdn-print-message-27420706    2s',
        ' └─┬─✔ hello2a  print-message      steps-z2zdn-print-message-2006760091  3s',
        '   └─✔ hello2b  print-message      steps-z2zdn-print-message-2023537710  3s',
        '',
      ].join('\n'),
    );
  });

  it('prints the header block with labels padded to one column', () => {
    const wf = stepsWorkflow();
    wf.spec.arguments = { parameters: [{ name: 'message', value: 'hello' }, { name: 'unset' }] };
    wf.status = {
      ...wf.status,
      progress: '3/3',
      message: 'all good',
      finishedAt: at(68),
      conditions: [
        { type: 'PodRunning', status: 'False' },
        { type: 'SpecWarning', status: 'True', message: 'deprecated field' },
      ],
    };
    const header = renderWorkflow(wf, { color: false, now: NOW }).split('\n\n')[0];
    expect(header).toBe(
      [
        'Name:                steps-z2zdn',
        'Namespace:           argo',
        'ServiceAccount:      unset (will run with the default ServiceAccount)',
        'Status:              Succeeded',
        'Message:             all good',
        'Conditions:',
        ' PodRunning          False',
        '⚠ SpecWarning        deprecated field',
        'Created:             Wed May 01 10:00:00 +0000 (2 minutes ago)',
        'Started:             Wed May 01 10:00:00 +0000 (2 minutes ago)',
        'Finished:            Wed May 01 10:01:08 +0000 (52 seconds ago)',
        'Duration:            1 minute 8 seconds',
        'Progress:            3/3',
        'Parameters:',
        '  message:           hello',
      ].join('\n'),
    );
  });

  it('shows the locks a workflow holds and waits for, with their holders', () => {
    const wf = stepsWorkflow();
    wf.status = {
      ...wf.status,
      phase: 'Running',
      synchronization: {
        mutex: { holding: [{ mutex: 'argo/Mutex/m', holder: 'argo/steps-z2zdn' }] },
        semaphore: { waiting: [{ semaphore: 'argo/ConfigMap/cfg/k', holders: ['argo/a', 'argo/b/b-1'] }] },
      },
    };
    const header = renderWorkflow(wf, { color: false, now: NOW }).split('\n\n')[0] ?? '';
    expect(header.split('\n').slice(-3)).toEqual([
      'Synchronization:',
      '  Holding:           mutex argo/Mutex/m (as argo/steps-z2zdn)',
      '  Waiting for:       semaphore argo/ConfigMap/cfg/k (held by argo/a, argo/b/b-1)',
    ]);
  });

  it('uses words and ASCII lines without utf8', () => {
    const text = renderWorkflow(stepsWorkflow(), { color: false, utf8: false, now: NOW });
    expect(tableOf(text).split('\n').map((l) => l.slice(0, 24).trimEnd())).toEqual([
      'STEP',
      ' Succeeded steps-z2zdn',
      ' |-+-Succeeded hello1',
      ' `-+-Succeeded hello2a',
      '   `-Succeeded hello2b',
      '',
    ]);
  });

  it('hangs DAG tasks under their DAG node', () => {
    const W = 'dag-diamond-8q7vp';
    const { node, workflow } = builder(W);
    const task = (name: string, children: string[], start: number): NodeStatus =>
      node(`${W}.${name}`, { templateName: 'echo', boundaryID: W, children: children.map((c) => `${W}.${c}`), startedAt: at(start), finishedAt: at(start + 5) });
    const wf = workflow([
      node(W, { type: 'DAG', templateName: 'diamond', children: [`${W}.A`], outboundNodes: [], startedAt: at(0) }),
      task('D', [], 12),
      task('C', ['D'], 6),
      task('B', ['D'], 6),
      task('A', ['B', 'C'], 0),
    ]);
    expect(tableOf(renderWorkflow(wf, { color: false, now: NOW }))).toBe(
      [
        'STEP                  TEMPLATE  PODNAME                           DURATION  MESSAGE',
        ' ✔ dag-diamond-8q7vp  diamond',
        ' ├─✔ A                echo      dag-diamond-8q7vp-echo-460213972  5s',
        ' ├─✔ B                echo      dag-diamond-8q7vp-echo-510546829  5s',
        ' ├─✔ C                echo      dag-diamond-8q7vp-echo-493769210  5s',
        ' └─✔ D                echo      dag-diamond-8q7vp-echo-409881115  5s',
        '',
      ].join('\n'),
    );
  });

  it('shows the attempts of a retry node, and hides a retry that ran once', () => {
    const W = 'retry-7xk2p';
    const { node, workflow } = builder(W);
    const wf = workflow([
      node(W, { type: 'Steps', templateName: 'main', children: [`${W}[0]`] }),
      node(`${W}[0]`, { type: 'StepGroup', displayName: '[0]', boundaryID: W, children: [`${W}[0].flaky`, `${W}[0].once`] }),
      node(`${W}[0].flaky`, { type: 'Retry', templateName: 'flaky', boundaryID: W, children: [`${W}[0].flaky(0)`, `${W}[0].flaky(1)`] }),
      node(`${W}[0].flaky(0)`, { templateName: 'flaky', boundaryID: W, phase: 'Failed', message: 'Error (exit code 1)', startedAt: at(0), finishedAt: at(2) }),
      node(`${W}[0].flaky(1)`, { templateName: 'flaky', boundaryID: W, startedAt: at(3), finishedAt: at(4) }),
      node(`${W}[0].once`, { type: 'Retry', templateName: 'flaky', boundaryID: W, children: [`${W}[0].once(0)`] }),
      node(`${W}[0].once(0)`, { templateName: 'flaky', boundaryID: W, startedAt: at(0), finishedAt: at(1) }),
    ]);
    expect(tableOf(renderWorkflow(wf, { color: false, now: NOW }))).toBe(
      [
        'STEP               TEMPLATE  PODNAME                       DURATION  MESSAGE',
        ' ✔ retry-7xk2p     main',
        ' └─┬─✔ flaky       flaky',
        '   │ ├─✖ flaky(0)  flaky     retry-7xk2p-flaky-666139674   2s        Error (exit code 1)',
        '   │ └─✔ flaky(1)  flaky     retry-7xk2p-flaky-61998295    1s',
        '   └─✔ once(0)     flaky     retry-7xk2p-flaky-4191071558  1s',
        '',
      ].join('\n'),
    );
  });

  it('prints the onExit handler as a second tree sharing the columns', () => {
    const W = 'exit-handlers-4x9ms';
    const { node, workflow } = builder(W);
    const exit = `${W}.onExit`;
    const wf = workflow(
      [
        node(W, { templateName: 'intentional-fail', phase: 'Failed', message: 'Error (exit code 1)', startedAt: at(0), finishedAt: at(3) }),
        node(exit, { type: 'Steps', displayName: exit, templateName: 'exit-handler', phase: 'Succeeded', children: [`${exit}[0]`] }),
        node(`${exit}[0]`, { type: 'StepGroup', displayName: '[0]', boundaryID: exit, children: [`${exit}[0].notify`, `${exit}[0].celebrate`, `${exit}[0].cry`] }),
        node(`${exit}[0].notify`, { templateName: 'send-email', boundaryID: exit, startedAt: at(4), finishedAt: at(6) }),
        node(`${exit}[0].celebrate`, {
          type: 'Skipped',
          templateName: 'celebrate',
          boundaryID: exit,
          phase: 'Skipped',
          message: "when 'Failed == Succeeded' evaluated false",
        }),
        node(`${exit}[0].cry`, { templateName: 'cry', boundaryID: exit, startedAt: at(4), finishedAt: at(5) }),
      ],
      { phase: 'Failed' },
    );
    expect(tableOf(renderWorkflow(wf, { color: false, now: NOW }))).toBe(
      [
        'STEP                           TEMPLATE          PODNAME                                    DURATION  MESSAGE',
        ' ✖ exit-handlers-4x9ms         intentional-fail  exit-handlers-4x9ms                        3s        Error (exit code 1)',
        '',
        ' ✔ exit-handlers-4x9ms.onExit  exit-handler',
        ' └─┬─✔ notify                  send-email        exit-handlers-4x9ms-send-email-1549297575  2s',
        "   ├─○ celebrate               celebrate                                                              when 'Failed == Succeeded' evaluated false",
        '   └─✔ cry                     cry               exit-handlers-4x9ms-cry-3528037014         1s',
        '',
      ].join('\n'),
    );
  });

  it('shows a skipped `when` step with its message and no pod', () => {
    const W = 'coinflip-r5k2z';
    const { node, workflow } = builder(W);
    const wf = workflow([
      node(W, { type: 'Steps', templateName: 'coinflip', children: [`${W}[0]`] }),
      node(`${W}[0]`, { type: 'StepGroup', displayName: '[0]', boundaryID: W, children: [`${W}[0].flip-coin`] }),
      node(`${W}[0].flip-coin`, { templateName: 'flip-coin', boundaryID: W, children: [`${W}[1]`], startedAt: at(0), finishedAt: at(4) }),
      node(`${W}[1]`, { type: 'StepGroup', displayName: '[1]', boundaryID: W, children: [`${W}[1].heads`, `${W}[1].tails`] }),
      node(`${W}[1].heads`, { templateName: 'heads', boundaryID: W, startedAt: at(5), finishedAt: at(7) }),
      node(`${W}[1].tails`, { type: 'Skipped', templateName: 'tails', boundaryID: W, phase: 'Skipped', message: "when 'heads == tails' evaluated false" }),
    ]);
    expect(tableOf(renderWorkflow(wf, { color: false, now: NOW }))).toBe(
      [
        'STEP               TEMPLATE   PODNAME                              DURATION  MESSAGE',
        ' ✔ coinflip-r5k2z  coinflip',
        ' ├───✔ flip-coin   flip-coin  coinflip-r5k2z-flip-coin-3003502547  4s',
        ' └─┬─✔ heads       heads      coinflip-r5k2z-heads-290367162       2s',
        "   └─○ tails       tails                                                     when 'heads == tails' evaluated false",
        '',
      ].join('\n'),
    );
  });

  it('aligns columns by display width with wide characters and colour escapes', () => {
    const W = 'wide-q2v9t';
    const { node, workflow } = builder(W);
    const wf = workflow(
      [
        node(W, { type: 'DAG', templateName: 'main', children: [`${W}.挨拶`, `${W}.🚀launch`, `${W}.plain`], startedAt: at(0) }),
        node(`${W}.挨拶`, { templateName: 'greet', boundaryID: W, phase: 'Running', startedAt: at(100) }),
        node(`${W}.🚀launch`, { templateName: 'ship', boundaryID: W, phase: 'Failed', message: 'échec: exit 1', startedAt: at(0), finishedAt: at(3725) }),
        node(`${W}.plain`, { templateName: 'x', boundaryID: W, phase: 'Pending' }),
      ],
      { phase: 'Running', finishedAt: undefined },
    );
    const text = renderWorkflow(wf, { color: true, now: NOW });
    expect(text).toContain('\u001b[36m●\u001b[39m 挨拶'); // coloured, Running in cyan as argo
    expect(text).toContain('\u001b[31m✖\u001b[39m 🚀launch');
    const rows = tableOf(text).trimEnd().split('\n').map(stripAnsi);
    const columnOf = (line: string, cell: string): number => displayWidth(line.slice(0, line.indexOf(cell)));
    const header = rows[0] ?? '';
    expect(rows.slice(1).map((r, i) => columnOf(r, ['main', 'greet', 'ship', 'x'][i] ?? ''))).toEqual(
      Array(4).fill(columnOf(header, 'TEMPLATE')),
    );
    expect(rows[2]).toContain('20s'); // still running: measured to now
    expect(columnOf(rows[3] ?? '', '1h2m')).toBe(columnOf(header, 'DURATION'));
    expect(columnOf(rows[3] ?? '', 'échec')).toBe(columnOf(header, 'MESSAGE'));
    expect(rows[4]).toMatch(/^ └─◷ plain {5}x {9}wide-q2v9t-x-\d+$/); // pending: no duration yet
  });

  it('marks a waiting suspend node and a suspended workflow', () => {
    const W = 'suspend-b7w4d';
    const { node, workflow } = builder(W);
    const wf = workflow(
      [
        node(W, { type: 'Steps', templateName: 'main', phase: 'Running', children: [`${W}[0]`] }),
        node(`${W}[0]`, { type: 'StepGroup', displayName: '[0]', boundaryID: W, phase: 'Running', children: [`${W}[0].approve`] }),
        node(`${W}[0].approve`, { type: 'Suspend', templateName: 'approve', boundaryID: W, phase: 'Running' }),
      ],
      { phase: 'Running', finishedAt: undefined },
    );
    const text = renderWorkflow(wf, { color: false, now: NOW });
    expect(text).toContain('Status:              Running (Suspended)');
    expect(text).toContain(' └───ǁ approve');
    expect(renderWorkflow(wf, { color: false, utf8: false, now: NOW })).toContain(' `-+-Suspend approve');
  });

  it('prints the header only while there is no root node', () => {
    const wf = builder('fresh-abc12').workflow([], { phase: undefined, startedAt: undefined, finishedAt: undefined });
    const text = renderWorkflow(wf, { color: false, now: NOW });
    expect(text).toContain('Status:              Pending\n');
    expect(text).not.toContain('STEP');
  });
});

describe('renderProgressLine', () => {
  it('fits phase, progress, elapsed time and name on one line', () => {
    const W = 'steps-abc';
    const { node, workflow } = builder(W);
    const wf = workflow(
      [
        node(W, { type: 'Steps', phase: 'Running', children: [`${W}[0]`] }),
        node(`${W}[0]`, { type: 'StepGroup', boundaryID: W, phase: 'Running', children: [`${W}[0].a`, `${W}[0].b`] }),
        node(`${W}[0].a`, { boundaryID: W }),
        node(`${W}[0].b`, { boundaryID: W, phase: 'Running' }),
      ],
      { phase: 'Running', startedAt: new Date(NOW.getTime() - 12_000).toISOString(), finishedAt: undefined },
    );
    expect(renderProgressLine(wf, NOW)).toBe('Running  1/2  12s  steps-abc  (b)');
    wf.status = { ...wf.status, progress: '3/7' };
    expect(renderProgressLine(wf, NOW)).toBe('Running  3/7  12s  steps-abc  (b)');
  });
});
