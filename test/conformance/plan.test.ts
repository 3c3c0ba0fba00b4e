import { describe, expect, it } from 'vitest';
import { parseExpectedTsv } from '../../scripts/conformance/expected.js';
import { HUMAN_DRIVES } from '../../scripts/conformance/drive.js';
import { CRON_DETAIL, planCases } from '../../scripts/conformance/plan.js';

const rows = parseExpectedTsv(
  [
    'file\ttier\texpected\ttools\tneeds\trandom\tlong\targo_ci',
    'hello.yaml\t1\tSucceeded\t\t\t\t\trun',
    'fails.yaml\t1\tFailed (exits 1)\t\t\t\t\tskip:expected-failure',
    'slow.yaml\t1\tSucceeded\t\t\t\tlong\tskip:duration',
    'retry-container.yaml\t1\tSucceeded\t\t\trandom\t\trun',
    'mystery-random.yaml\t1\tSucceeded\t\t\trandom\t\trun',
    'wft/steps.yaml\t2\tSucceeded\t\tk8s-obj:workflowtemplate\t\t\trun',
    'suspend.yaml\t2\tSucceeded after `argo resume`\t\thuman\t\t\tskip:environment',
    'suspend-template-outputs.yaml\t2\tSucceeded after resume with output `message` supplied\t\thuman\t\t\tskip:environment',
    'cron-workflow.yaml\t2\tSucceeded\t\tcron-scheduler\t\t\trun',
    'maybe.yaml\t2\tFailed? (timeouts)\t\t\t\t\tskip:environment',
    'gifs.yaml\tk8s\tSucceeded\t\tk8s\t\t\tskip:environment',
    'http.yaml\tnet\tSucceeded\t\tnetwork\t\t\trun',
    'templates.yaml\tsupport\tn/a (supporting manifest)\t\t\t\t\trun',
    'memo.yaml\t3\tSucceeded\t\t\t\t\trun',
  ].join('\n'),
);

const summary = (cases: ReturnType<typeof planCases>): string[] =>
  cases.map((c) => (c.action === 'run' ? `run ${c.file} ${c.phases.join('|')}` : `skip ${c.file}: ${c.reason}`));

describe('planCases', () => {
  it('plans every row, skipping what cannot run locally with the reason', () => {
    expect(summary(planCases(rows, { long: false, files: [] }))).toEqual([
      'run hello.yaml Succeeded',
      'run fails.yaml Failed',
      'skip slow.yaml: long-running (use --long)',
      'run retry-container.yaml Succeeded|Failed',
      'run mystery-random.yaml Succeeded',
      'run wft/steps.yaml Succeeded',
      'skip suspend.yaml: needs interaction: Succeeded after `argo resume` (no entry in HUMAN_DRIVES)',
      'skip suspend-template-outputs.yaml: needs interaction: Succeeded after resume with output `message` supplied (driven in server mode only)',
      'run cron-workflow.yaml Succeeded',
      'run maybe.yaml Failed',
      'skip gifs.yaml: needs Kubernetes, a cloud service or a special tool (k8s)',
      'skip http.yaml: needs the network (network)',
      'skip templates.yaml: supporting manifest, not a workflow to run',
      'run memo.yaml Succeeded',
    ]);
  });

  it('keeps tiers up to --tier and leaves out rows of other kinds entirely', () => {
    const files = planCases(rows, { tier: 1, long: true, files: [] }).map((c) => c.file);
    expect(files).toEqual(['hello.yaml', 'fails.yaml', 'slow.yaml', 'retry-container.yaml', 'mystery-random.yaml']);
    expect(planCases(rows, { tier: 2, long: false, files: [] }).map((c) => c.file)).not.toContain('memo.yaml');
  });

  it('runs long files with --long', () => {
    expect(planCases(rows, { long: true, files: ['slow.yaml'] })).toMatchObject([{ file: 'slow.yaml', action: 'run' }]);
  });

  it('selects FILE arguments only, whatever their tier, still skipping what cannot run', () => {
    expect(summary(planCases(rows, { tier: 1, long: false, files: ['memo.yaml', 'http.yaml', 'new.yaml'] }))).toEqual([
      'run memo.yaml Succeeded',
      'skip http.yaml: needs the network (network)',
      'run new.yaml Succeeded',
    ]);
  });

  it('drives the rows that need a human when it can (server mode), with the table entry', () => {
    const [outputs, suspend] = planCases(rows, { long: false, files: ['suspend-template-outputs.yaml', 'suspend.yaml'], drive: true });
    expect(outputs).toMatchObject({ action: 'run', phases: ['Succeeded'], drive: HUMAN_DRIVES['suspend-template-outputs.yaml'] });
    expect(outputs?.action === 'run' && outputs.detail).toMatch(/^driven: approve needs its output `message` supplied/);
    expect(suspend).toMatchObject({ action: 'skip', reason: expect.stringMatching(/no entry in HUMAN_DRIVES/) });
  });

  it('says on CronWorkflow rows that the schedule is tested elsewhere', () => {
    expect(planCases(rows, { long: false, files: ['cron-workflow.yaml'] })).toMatchObject([{ action: 'run', detail: CRON_DETAIL }]);
    expect(CRON_DETAIL).toMatch(/schedule itself is covered by unit tests/);
  });

  it('explains random expectations', () => {
    const [retry] = planCases(rows, { long: false, files: ['retry-container.yaml'] });
    expect(retry).toMatchObject({ action: 'run', note: expect.stringMatching(/^random: limit 10/) });
  });
});
