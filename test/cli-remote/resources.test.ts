import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeArgoServer } from './fake-server.js';
import { run } from './harness.js';

let fake: FakeArgoServer;
let dir: string;
const argot = (...args: string[]) => run(args, { server: fake.url });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SPEC = `spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine
`;
const TEMPLATE = `apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: tmpl\n${SPEC}`;
const CLUSTER = `apiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata:\n  name: ctmpl\n${SPEC}`;
const CRON = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: ["0 2 * * *"]
  timezone: UTC
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: alpine
`;
const CONFIGMAP = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n`;

beforeEach(async () => {
  fake = await new FakeArgoServer().start();
  dir = mkdtempSync(join(tmpdir(), 'argot-remote-'));
});
afterEach(async () => {
  await fake.stop();
});

describe('template', () => {
  it('creates from a file and prints the summary', async () => {
    const r = await argot('template', 'create', file('t.yaml', TEMPLATE));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name: +tmpl\nNamespace: +default\nCreated: +\w{3} \w{3} \d\d /);
    expect(fake.last('POST', '/api/v1/workflow-templates/default')?.body).toMatchObject({ namespace: 'default', template: { kind: 'WorkflowTemplate', metadata: { name: 'tmpl' } } });
  });

  it('refuses other kinds and lint errors before sending', async () => {
    const wrong = await argot('template', 'create', file('c.yaml', CRON));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('expected WorkflowTemplate documents, found');
    const bad = await argot('template', 'create', file('b.yaml', TEMPLATE.replace('image: alpine', 'imag: alpine')));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/b\.yaml:\d+:\d+: .*imag/);
    expect(fake.requests).toEqual([]);
  });

  it('says a name is taken', async () => {
    await argot('template', 'create', file('t.yaml', TEMPLATE));
    expect(await argot('template', 'create', join(dir, 't.yaml'))).toMatchObject({ code: 1, stderr: 'argot: workflow template "tmpl" already exists in namespace default\n' });
  });

  it('gets, lists and deletes', async () => {
    await argot('template', 'create', file('t.yaml', TEMPLATE));
    expect(JSON.parse((await argot('template', 'get', 'tmpl', '-o', 'json')).stdout)).toMatchObject({ metadata: { name: 'tmpl' } });
    expect((await argot('template', 'list')).stdout).toBe('NAME\ntmpl\n');
    expect((await argot('template', 'list', '-A')).stdout).toBe('NAMESPACE   NAME\ndefault     tmpl\n');
    expect((await argot('template', 'list', '-l', 'a=b')).stdout).toBe('No workflow templates found\n');
    expect(fake.last('GET', '/api/v1/workflow-templates/default')?.query).toEqual({ 'listOptions.labelSelector': 'a=b' });
    expect(await argot('template', 'delete', 'tmpl')).toMatchObject({ code: 0, stdout: "WorkflowTemplate 'tmpl' deleted\n" });
    expect(await argot('template', 'get', 'tmpl')).toMatchObject({ code: 1, stderr: 'argot: workflow template "tmpl" not found in namespace default\n' });
  });

  it('updates at the current resourceVersion', async () => {
    await argot('template', 'create', file('t.yaml', TEMPLATE));
    const rv = fake.templates.get('default/tmpl')?.metadata.resourceVersion;
    const r = await argot('template', 'update', file('t2.yaml', TEMPLATE.replace('image: alpine', 'image: busybox')), '-o', 'name');
    expect(r).toMatchObject({ code: 0, stdout: 'tmpl\n' });
    expect(fake.last('PUT', '/api/v1/workflow-templates/default/tmpl')?.body).toMatchObject({ name: 'tmpl', namespace: 'default', template: { metadata: { resourceVersion: rv } } });
  });

  it('lints locally, then on the server', async () => {
    const ok = await argot('template', 'lint', file('t.yaml', TEMPLATE));
    expect(ok).toMatchObject({ code: 0, stdout: '✔ no linting errors found!\n' });
    expect(fake.last('POST', '/api/v1/workflow-templates/default/lint')).toBeDefined();
    const path = file('s.yaml', TEMPLATE.replace('name: tmpl', 'name: bad-on-server'));
    const bad = await argot('template', 'lint', path);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(`${path}:\n   ✖ WorkflowTemplate "bad-on-server": templates.main: unknown template "bad-on-server"\n✖ 1 linting error found!\n`);
  });

  it('deletes all with --all', async () => {
    await argot('template', 'create', file('t.yaml', TEMPLATE));
    await argot('template', 'create', file('u.yaml', TEMPLATE.replace('name: tmpl', 'name: other')));
    expect((await argot('template', 'delete', '--all')).stdout).toBe("WorkflowTemplate 'other' deleted\nWorkflowTemplate 'tmpl' deleted\n");
    expect(fake.templates.size).toBe(0);
  });
});

describe('cluster-template', () => {
  it('uses the cluster-scoped paths, without a namespace', async () => {
    const r = await argot('cluster-template', 'create', file('c.yaml', CLUSTER));
    expect(r.stdout).toMatch(/^Name: +ctmpl\nCreated: /);
    expect(fake.last('POST', '/api/v1/cluster-workflow-templates')?.body).toEqual({ template: expect.objectContaining({ kind: 'ClusterWorkflowTemplate' }) as unknown });
    expect((await argot('cluster-template', 'list', '-o', 'name')).stdout).toBe('ctmpl\n');
    expect((await argot('cluster-template', 'get', 'ctmpl', '-o', 'name')).stdout).toBe('ctmpl\n');
    expect(await argot('cluster-template', 'get', 'nope')).toMatchObject({ code: 1, stderr: 'argot: cluster workflow template "nope" not found\n' });
    expect((await argot('cluster-template', 'delete', 'ctmpl')).stdout).toBe("ClusterWorkflowTemplate 'ctmpl' deleted\n");
    expect(fake.calls()).toContain('DELETE /api/v1/cluster-workflow-templates/ctmpl');
  });
});

describe('cron', () => {
  it('creates with a --schedule override, lists with argo columns, and shows the next run', async () => {
    const r = await argot('cron', 'create', file('c.yaml', CRON), '--schedule', '*/5 * * * *', '-o', 'name');
    expect(r).toMatchObject({ code: 0, stdout: 'nightly\n' });
    expect((fake.last('POST', '/api/v1/cron-workflows/default')?.body as { cronWorkflow: { spec: { schedules: string[] } } }).cronWorkflow.spec.schedules).toEqual(['*/5 * * * *']);
    const list = (await argot('cron', 'list')).stdout.split('\n');
    expect(list[0]).toMatch(/^NAME +AGE +LAST RUN +NEXT RUN +SCHEDULES +TIMEZONE +SUSPENDED$/);
    expect(list[1]).toMatch(/^nightly +\d+s +N\/A +(\d+m)?(\d+s)? +\*\/5 \* \* \* \* +UTC +false$/);
    const get = (await argot('cron', 'get', 'nightly')).stdout;
    expect(get).toMatch(/^Name: +nightly\n/);
    expect(get).toMatch(/^Schedules: +\*\/5 \* \* \* \*$/m);
    expect(get).toMatch(/^NextScheduledTime: +\w{3} /m);
  });

  it('suspends and resumes', async () => {
    await argot('cron', 'create', file('c.yaml', CRON));
    expect((await argot('cron', 'suspend', 'nightly')).stdout).toBe("CronWorkflow 'nightly' suspended\n");
    expect(fake.crons.get('default/nightly')?.spec.suspend).toBe(true);
    expect(fake.last('PUT', '/api/v1/cron-workflows/default/nightly/suspend')?.body).toEqual({ namespace: 'default', name: 'nightly' });
    expect((await argot('cron', 'resume', 'nightly')).stdout).toBe("CronWorkflow 'nightly' resumed\n");
    expect(fake.crons.get('default/nightly')?.spec.suspend).toBe(false);
    expect(await argot('cron', 'suspend', 'nope')).toMatchObject({ code: 1, stderr: 'argot: cron workflow "nope" not found in namespace default\n' });
  });

  it('lints and deletes', async () => {
    expect((await argot('cron', 'lint', file('c.yaml', CRON))).stdout).toBe('✔ no linting errors found!\n');
    expect(fake.last('POST', '/api/v1/cron-workflows/default/lint')?.body).toMatchObject({ namespace: 'default', cronWorkflow: { metadata: { name: 'nightly' } } });
    await argot('cron', 'create', join(dir, 'c.yaml'));
    expect((await argot('cron', 'delete', 'nightly')).stdout).toBe("CronWorkflow 'nightly' deleted\n");
  });
});

describe('apply', () => {
  it('creates dependencies first, then updates what exists', async () => {
    const path = file('all.yaml', [CRON, TEMPLATE, CONFIGMAP, CLUSTER].join('---\n'));
    const first = await argot('apply', '-f', path);
    expect(first).toMatchObject({
      code: 0,
      stdout: [
        'configmap/settings created',
        'clusterworkflowtemplate.argoproj.io/ctmpl created',
        'workflowtemplate.argoproj.io/tmpl created',
        'cronworkflow.argoproj.io/nightly created',
        '',
      ].join('\n'),
    });
    expect(fake.last('POST', '/api/v1/configmaps/default')?.body).toEqual({
      namespace: 'default',
      configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { color: 'blue' } },
    });
    const second = await argot('apply', '-f', path);
    expect(second.stdout).toBe(
      [
        'configmap/settings configured',
        'clusterworkflowtemplate.argoproj.io/ctmpl configured',
        'workflowtemplate.argoproj.io/tmpl configured',
        'cronworkflow.argoproj.io/nightly configured',
        '',
      ].join('\n'),
    );
    expect(fake.last('PUT', '/api/v1/configmaps/default/settings')?.body).toMatchObject({ namespace: 'default', name: 'settings', configMap: { data: { color: 'blue' } } });
    expect(fake.last('PUT', '/api/v1/workflow-templates/default/tmpl')?.body).toMatchObject({ template: { metadata: { resourceVersion: expect.any(String) as unknown } } });
  });

  it('creates Workflows, and honours -n', async () => {
    const r = await argot('apply', '-n', 'argo', '-f', file('w.yaml', `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n${SPEC}`));
    expect(r.stdout).toMatch(/^workflow\.argoproj\.io\/w-\w+ created\n$/);
    expect(fake.last('POST', '/api/v1/workflows/argo')).toBeDefined();
  });

  it('explains a server without the ConfigMap endpoint', async () => {
    fake.failOnce('POST', /configmaps/, 404, { code: 5, message: 'Not Found' });
    const r = await argot('apply', '-f', file('cm.yaml', CONFIGMAP));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("argot: configmap/settings: the server has no ConfigMap endpoint (POST /api/v1/configmaps/default is argot's own; against Argo Server, use kubectl)\n");
  });
});
