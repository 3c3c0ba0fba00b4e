import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../scripts/conformance/main.js';
import { writeFakeArgot } from './fake-argot.js';

// Server mode end to end, through the fake argot's fake server: supporting manifests, a file's own
// documents, a human-driven suspend, a CronWorkflow, a timeout, and a server that will not start.
let corpus: string;
let fake: string;

const TSV = [
  'file\ttier\texpected\ttools\tneeds\trandom\tlong\targo_ci',
  'support/templates.yaml\tsupport\tn/a (supporting manifest)\t\t\t\t\trun',
  'support/refused.yaml\tsupport\tn/a (supporting manifest)\t\t\t\t\trun',
  'support/quota.yaml\tsupport\tn/a (supporting manifest)\t\t\t\t\trun',
  'hello.yaml\t1\tSucceeded\t\t\t\t\trun',
  'uses-template.yaml\t2\tSucceeded\t\tk8s-obj:workflowtemplate\t\t\trun',
  'with-configmap.yaml\t2\tSucceeded\t\tk8s-obj:configmap\t\t\trun',
  'suspend-template-outputs.yaml\t2\tSucceeded after resume with output `message` supplied\t\thuman\t\t\tskip:environment',
  'cron-workflow.yaml\t2\tSucceeded\t\tcron-scheduler\t\t\trun',
  'hang.yaml\t2\tSucceeded\t\t\t\tlong\trun',
].join('\n');

const FILES: Record<string, string> = {
  'support/templates.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: greeting\nspec: {}\n',
  'support/refused.yaml': '# fake: apply-fail\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: refused\n',
  'support/quota.yaml': '# fake: apply-warn\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n',
  'hello.yaml': 'kind: Workflow\nmetadata:\n  generateName: hello-\n',
  'uses-template.yaml': '# fake-needs: WorkflowTemplate/greeting\nkind: Workflow\nmetadata:\n  generateName: uses-template-\n',
  'with-configmap.yaml': [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: params\ndata:\n  message: hi\n',
    'kind: Workflow\nmetadata:\n  generateName: with-configmap-\n  annotations:\n    fake-needs: ConfigMap/params\n',
  ].join('---\n'),
  'suspend-template-outputs.yaml': [
    '# fake: suspend',
    'kind: Workflow',
    'metadata:\n  name: suspend-outputs',
    'spec:',
    '  templates:',
    '  - name: approve\n    suspend: {}\n    outputs:\n      parameters:\n      - name: message\n        valueFrom:\n          supplied: {}',
    '  - name: delay\n    suspend:\n      duration: "20"',
  ].join('\n'),
  'cron-workflow.yaml': 'kind: CronWorkflow\nmetadata:\n  name: hello-world\n  annotations:\n    fake: succeed\nspec:\n  schedules: ["* * * * *"]\n  workflowSpec: {}\n',
  'hang.yaml': '# fake: hang\nkind: Workflow\nmetadata:\n  name: hang\n',
};

beforeAll(async () => {
  corpus = await mkdtemp(join(tmpdir(), 'argot-corpus-server-'));
  fake = await writeFakeArgot();
  await mkdir(join(corpus, 'support'));
  await writeFile(join(corpus, 'EXPECTED.tsv'), `${TSV}\n`);
  for (const [file, text] of Object.entries(FILES)) await writeFile(join(corpus, file), text);
});

afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(...l.split('\n')), err: (l) => out.push(l), env: { ...process.env, ARGOT_EXAMPLES: corpus, ARGOT_BIN: fake, ...env }, cwd: corpus, color: false };
  const code = await main(argv, io);
  return { code, out };
}

const line = (out: string[], prefix: string): string | undefined => out.find((l) => l.startsWith(prefix));

describe.skipIf(process.platform === 'win32')('conformance main, server mode', () => {
  it('applies the supporting manifests, drives what needs a human and runs CronWorkflows once', async () => {
    const { code, out } = await run(['--tier', '2', '--jobs', '2']);
    expect(out.slice(0, 3)).toEqual([
      // 3 of 4: the corpus's three, and argot's environment.yaml (objects the corpus expects but does not ship)
      'Supporting manifests: 3 of 4 applied, 1 refused',
      '  refused  support/refused.yaml: argot: support/refused.yaml:1:1: refused (kind)',
      '  warning  support/quota.yaml: support/quota.yaml:1:1: Thing is not an Argo resource',
    ]);
    expect(line(out, 'PASS  uses-template.yaml')).toBeDefined();
    // The ConfigMap in the same file was applied before its Workflow was submitted alone.
    expect(line(out, 'PASS  with-configmap.yaml')).toBeDefined();
    expect(line(out, 'PASS  suspend-template-outputs.yaml')).toMatch(
      /Succeeded {2}\d+\.\ds {2}\(driven: approve needs its output `message` supplied, then a resume; resumed approve \(message=approved\)\)$/,
    );
    // The fake refuses `submit --from` while the CronWorkflow is still scheduled.
    expect(line(out, 'PASS  cron-workflow.yaml')).toMatch(
      /\(CronWorkflow: its workflowSpec run once; the schedule itself is covered by unit tests; via submit --from cronwf\/hello-world\)$/,
    );
    expect(line(out, 'SKIP  hang.yaml')).toMatch(/long-running/);
    expect(out.slice(-4)).toEqual(['', 'tier 1 only: 1 passed, 0 failed, 0 skipped', 'tier 2 only: 4 passed, 0 failed, 1 skipped', '5 passed, 0 failed, 1 skipped']);
    expect(code).toBe(0);
  });

  it('fails a file without its WorkflowTemplate, as the fake server would without the support rows', async () => {
    await writeFile(join(corpus, 'lonely.yaml'), '# fake-needs: WorkflowTemplate/absent\nkind: Workflow\nmetadata:\n  name: lonely\n');
    const { out } = await run(['lonely.yaml']);
    expect(line(out, 'FAIL')).toBe('FAIL  lonely.yaml  expected Succeeded, got Error: not found: WorkflowTemplate/absent');
  });

  it('names what was still running when a file times out, and ends it', async () => {
    const { code, out } = await run(['hang.yaml', '--long', '--timeout', '1']);
    expect(code).toBe(1);
    expect(line(out, 'FAIL')).toBe('FAIL  hang.yaml  expected Succeeded, got timeout after 3s; still running: sleep (Pod)');
    // Deleted after the run: the same fixed name submits again.
    expect(line((await run(['hang.yaml', '--long', '--timeout', '1'])).out, 'FAIL')).toMatch(/got timeout/);
  });

  it('fails every file with the reason when the servers do not start', async () => {
    const { code, out } = await run(['hello.yaml', 'uses-template.yaml'], { FAKE_SERVER: 'broken' });
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith('FAIL')).sort()).toEqual([
      'FAIL  hello.yaml          expected Succeeded, got not run: argot server did not start: argot: cannot open the store: disk on fire',
      'FAIL  uses-template.yaml  expected Succeeded, got not run: argot server did not start: argot: cannot open the store: disk on fire',
    ]);
  });

  it('leaves human-driven rows to server mode', async () => {
    const { out } = await run(['suspend-template-outputs.yaml', '--mode', 'run']);
    expect(line(out, 'SKIP')).toBe(
      'SKIP  suspend-template-outputs.yaml  needs interaction: Succeeded after resume with output `message` supplied (driven in server mode only)',
    );
  });
});
