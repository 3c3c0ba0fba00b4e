import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeArgoServer } from './fake-server.js';
import { run, workflow } from './harness.js';

let fake: FakeArgoServer;
let dir: string;
const argot = (...args: string[]) => run(args, { server: fake.url });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HELLO = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: message
        value: hi
  templates:
    - name: main
      container:
        image: alpine
        command: [echo, "{{workflow.parameters.message}}"]
`;

beforeEach(async () => {
  fake = await new FakeArgoServer().start();
  dir = mkdtempSync(join(tmpdir(), 'argot-remote-'));
});
afterEach(async () => {
  await fake.stop();
});

describe('submit', () => {
  it('lints, applies the submit options, creates, and prints the workflow', async () => {
    const path = file('hello.yaml', HELLO);
    const r = await argot('submit', path, '-p', 'message=bye', '-l', 'team=a,env=dev', '--entrypoint', 'main', '--generate-name', 'greet-', '--priority', '3');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const req = fake.last('POST', '/api/v1/workflows/default');
    const body = req?.body as { namespace: string; workflow: { metadata: Record<string, unknown>; spec: Record<string, unknown> } };
    expect(body.namespace).toBe('default');
    expect(body.workflow.metadata).toMatchObject({ generateName: 'greet-', namespace: 'default', labels: { team: 'a', env: 'dev' } });
    expect(body.workflow.spec).toMatchObject({ entrypoint: 'main', priority: 3, arguments: { parameters: [{ name: 'message', value: 'bye' }] } });
    expect(r.stdout).toMatch(/^Name: +greet-x+1\nNamespace: +default\n/);
  });

  it('prints only the name with -o name, and JSON with 4 spaces with -o json', async () => {
    const path = file('hello.yaml', HELLO);
    expect((await argot('submit', path, '-o', 'name')).stdout).toMatch(/^hello-\w+\n$/);
    const json = (await argot('submit', path, '-o', 'json', '-n', 'argo')).stdout;
    expect(json).toMatch(/^\{\n {4}"apiVersion"/);
    expect(JSON.parse(json)).toMatchObject({ metadata: { namespace: 'argo' } });
    expect(fake.last('POST', /workflows\/argo$/)).toBeDefined();
  });

  it('stops at lint errors, with file:line:col, before sending anything', async () => {
    const path = file('bad.yaml', HELLO.replace('entrypoint: main', 'entrypont: main'));
    const r = await argot('submit', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:3: .*entrypont`, 'm'));
    expect(r.stderr).toContain('nothing was sent to the server');
    expect(fake.requests).toEqual([]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const path = file('broken.yaml', 'kind: Workflow\nspec: [\n');
    const r = await argot('submit', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
    expect(fake.requests).toEqual([]);
  });

  it('refuses documents that are not Workflows', async () => {
    const path = file('t.yaml', HELLO.replace('kind: Workflow', 'kind: WorkflowTemplate').replace('generateName: hello-', 'name: tmpl'));
    const r = await argot('submit', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('argot: expected Workflow documents, found');
    expect(r.stderr).toContain('WorkflowTemplate "tmpl"');
  });

  it('prints without sending on --dry-run, and asks the server on --server-dry-run', async () => {
    const path = file('hello.yaml', HELLO);
    const dry = await argot('submit', path, '--dry-run', '-o', 'yaml');
    expect(dry.stdout).toContain('generateName: hello-');
    expect(fake.requests).toEqual([]);
    await argot('submit', path, '--server-dry-run', '-o', 'name');
    expect((fake.last('POST', '/api/v1/workflows/default')?.body as { serverDryRun?: boolean }).serverDryRun).toBe(true);
    expect(fake.workflows.size).toBe(0);
  });

  it('submits --from a template with the options for the server', async () => {
    fake.templates.set('default/tmpl', { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'tmpl', namespace: 'default' }, spec: {} });
    const r = await argot('submit', '--from', 'wftmpl/tmpl', '-p', 'a=1', '-l', 'x=y', '--entrypoint', 'go', '--serviceaccount', 'sa', '-o', 'name');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tmpl-\w+\n$/);
    expect(fake.last('POST', '/api/v1/workflows/default/submit')?.body).toEqual({
      namespace: 'default',
      resourceKind: 'workflowtemplate',
      resourceName: 'tmpl',
      submitOptions: { parameters: ['a=1'], entryPoint: 'go', labels: 'x=y', serviceAccount: 'sa' },
    });
  });

  it('names a missing --from source, and rejects unknown kinds', async () => {
    const r = await argot('submit', '--from', 'cronwf/nightly');
    expect(r).toMatchObject({ code: 1, stderr: 'argot: cron workflow "nightly" not found in namespace default\n' });
    const bad = await argot('submit', '--from', 'pod/x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from pod/x: expected KIND/NAME');
  });
});

describe('list', () => {
  beforeEach(() => {
    fake.putWorkflow(workflow('done-a', { phase: 'Succeeded', created: '2024-05-01T10:00:00Z', started: '2024-05-01T10:00:00Z', finished: '2024-05-01T10:01:05Z', labels: { 'workflows.argoproj.io/completed': 'true', 'workflows.argoproj.io/phase': 'Succeeded' } }));
    fake.putWorkflow(workflow('done-b', { phase: 'Failed', created: '2024-05-01T11:00:00Z', started: '2024-05-01T11:00:00Z', finished: '2024-05-01T11:00:03Z', message: 'child failed', labels: { 'workflows.argoproj.io/completed': 'true', 'workflows.argoproj.io/phase': 'Failed' } }));
    fake.putWorkflow(workflow('run-c', { phase: 'Running', created: '2024-05-01T09:00:00Z', started: '2024-05-01T09:00:00Z', labels: { 'workflows.argoproj.io/phase': 'Running' } }));
    fake.putWorkflow(workflow('other', { namespace: 'argo', phase: 'Succeeded', created: '2024-05-01T08:00:00Z' }));
  });

  it("prints argo's table, unfinished first then latest finished, with the table fields asked for", async () => {
    const r = await argot('list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME {5}STATUS {6}AGE +DURATION {3}PRIORITY {3}MESSAGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['run-c Running', 'done-b Failed', 'done-a Succeeded']);
    expect(lines[3]).toMatch(/1m5s +0$/);
    expect(lines[2]).toMatch(/3s +0 +child failed$/);
    const query = fake.last('GET', '/api/v1/workflows/default')?.query;
    expect(query?.['fields']).toContain('items.status.phase');
    expect(query?.['fields']).not.toContain('nodes');
  });

  it('puts NAMESPACE first with -A and lists every namespace', async () => {
    const r = await argot('list', '-A');
    expect(fake.last('GET', '/api/v1/workflows/')).toBeDefined();
    expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE +NAME +STATUS/);
    expect(r.stdout).toMatch(/^argo +other +Succeeded/m);
  });

  it('turns --running, --completed and --status into label selectors', async () => {
    expect((await argot('list', '--running', '-o', 'name')).stdout).toBe('run-c\n');
    expect(fake.last('GET', '/api/v1/workflows/default')?.query['listOptions.labelSelector']).toBe('workflows.argoproj.io/completed!=true');
    expect((await argot('list', '--completed', '-o', 'name')).stdout).toBe('done-b\ndone-a\n');
    expect((await argot('list', '--status', 'Failed,Error', '-l', 'x!=y', '-o', 'name')).stdout).toBe('done-b\n');
    expect(fake.last('GET', '/api/v1/workflows/default')?.query['listOptions.labelSelector']).toBe('x!=y,workflows.argoproj.io/phase in (Failed,Error)');
  });

  it('filters by prefix and field selector, and pages with --limit', async () => {
    expect((await argot('list', '--prefix', 'done-', '-o', 'name')).stdout).toBe('done-b\ndone-a\n');
    expect(fake.last('GET', '/api/v1/workflows/default')?.query).toMatchObject({ nameFilter: 'Prefix', namePrefix: 'done-' });
    expect((await argot('list', '--field-selector', 'metadata.name=run-c', '-o', 'name')).stdout).toBe('run-c\n');
    expect((await argot('list', '--limit', '2', '-o', 'name')).stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(fake.last('GET', '/api/v1/workflows/default')?.query['listOptions.limit']).toBe('2');
  });

  it('follows continue tokens to fetch every page', async () => {
    const r = await argot('list', '--chunk-size', '1', '-o', 'name');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['done-a', 'done-b', 'run-c']);
    expect(fake.requests.filter((q) => q.path === '/api/v1/workflows/default').map((q) => q.query['listOptions.continue'] ?? '')).toEqual(['', '1', '2']);
  });

  it('prints JSON with 2 spaces, and the wide columns', async () => {
    const json = (await argot('list', '-o', 'json')).stdout;
    expect(json).toMatch(/^\[\n {2}\{\n {4}"apiVersion"/);
    expect(JSON.parse(json)).toHaveLength(3);
    expect((await argot('list', '-o', 'wide')).stdout.split('\n')[0]).toMatch(/MESSAGE +P\/R\/C +PARAMETERS$/);
  });

  it('says so when nothing matches', async () => {
    expect((await argot('list', '-n', 'empty')).stdout).toBe('No workflows found\n');
    expect((await argot('list', '-n', 'empty', '-o', 'json')).stdout).toBe('[]\n');
  });

  it('rejects unknown output formats', async () => {
    expect(await argot('list', '-o', 'xml')).toMatchObject({ code: 1, stderr: 'argot: --output xml: expected name, json, yaml, wide\n' });
  });
});

describe('get', () => {
  it('prints the workflow view, or JSON with 4 spaces', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Succeeded' }));
    const r = await argot('get', 'w');
    expect(r.stdout).toMatch(/^Name: +w\nNamespace: +default\nServiceAccount: .*\nStatus: +Succeeded\n/);
    const json = (await argot('get', 'w', '-o', 'json')).stdout;
    expect(json).toMatch(/^\{\n {4}"apiVersion"/);
    expect((await argot('get', 'w', '-o', 'yaml')).stdout).toContain('name: w\n');
    expect(fake.calls()).toEqual(['GET /api/v1/workflows/default/w', 'GET /api/v1/workflows/default/w', 'GET /api/v1/workflows/default/w']);
  });

  it('resolves @latest to the newest workflow of the namespace', async () => {
    fake.putWorkflow(workflow('old', { created: '2024-01-01T00:00:00Z' }));
    fake.putWorkflow(workflow('new', { created: '2024-06-01T00:00:00Z' }));
    fake.putWorkflow(workflow('elsewhere', { namespace: 'argo', created: '2025-01-01T00:00:00Z' }));
    const r = await argot('get', '@latest', '-o', 'name');
    expect(r.stdout).toBe('new\n');
    expect(fake.calls()).toEqual(['GET /api/v1/workflows/default', 'GET /api/v1/workflows/default/new']);
    expect(fake.requests[0]?.query['fields']).toContain('items.metadata.creationTimestamp');
    expect(await argot('get', '@latest', '-n', 'nothing')).toMatchObject({ code: 1, stderr: 'argot: @latest: there are no workflows in namespace nothing\n' });
  });

  it('says what is missing, where', async () => {
    expect(await argot('get', 'nope')).toMatchObject({ code: 1, stdout: '', stderr: 'argot: workflow "nope" not found in namespace default\n' });
    expect((await argot('get', 'nope', '-n', 'argo')).stderr).toBe('argot: workflow "nope" not found in namespace argo\n');
  });
});

describe('delete', () => {
  beforeEach(() => {
    fake.putWorkflow(workflow('a', { phase: 'Succeeded', labels: { 'workflows.argoproj.io/completed': 'true' } }));
    fake.putWorkflow(workflow('b', { phase: 'Running' }));
  });

  it('deletes by name, carrying on past a missing one', async () => {
    const r = await argot('delete', 'a', 'nope', 'b');
    expect(r.stdout).toBe("Workflow 'a' deleted\nWorkflow 'b' deleted\n");
    expect(r.stderr).toBe('argot: workflow "nope" not found in namespace default\n');
    expect(r.code).toBe(1);
    expect(fake.workflows.size).toBe(0);
  });

  it('deletes what a selection matches', async () => {
    const r = await argot('delete', '--completed');
    expect(r).toMatchObject({ code: 0, stdout: "Workflow 'a' deleted\n" });
    expect(fake.last('GET', '/api/v1/workflows/default')?.query['listOptions.labelSelector']).toBe('workflows.argoproj.io/completed=true');
    expect(fake.last('DELETE', '/api/v1/workflows/default/a')).toBeDefined();
    expect([...fake.workflows.keys()]).toEqual(['default/b']);
  });

  it('deletes everything with --all, and only prints with --dry-run', async () => {
    expect((await argot('delete', '--all', '--dry-run')).stdout).toBe("Workflow 'a' deleted (dry-run)\nWorkflow 'b' deleted (dry-run)\n");
    expect(fake.workflows.size).toBe(2);
    await argot('delete', '--all', '--force');
    expect(fake.workflows.size).toBe(0);
    expect(fake.last('DELETE', '/api/v1/workflows/default/b')?.query).toEqual({ force: 'true' });
  });

  it('wants names or a selection', async () => {
    expect(await argot('delete')).toMatchObject({ code: 1, stderr: 'argot: nothing to delete: give workflow names, --all, --completed, --status, -l or --prefix\n' });
  });
});

describe('retry, resubmit, suspend, resume, stop, terminate, node set', () => {
  beforeEach(() => {
    fake.putWorkflow(workflow('f', { phase: 'Failed' }));
    fake.putWorkflow(workflow('r', { phase: 'Running' }));
  });

  it('retries with its options and prints the workflow', async () => {
    const r = await argot('retry', 'f', '--restart-successful', '--node-field-selector', 'displayName=x', '-p', 'a=1', '-o', 'name');
    expect(r).toMatchObject({ code: 0, stdout: 'f\n' });
    expect(fake.last('PUT', '/api/v1/workflows/default/f/retry')?.body).toEqual({
      namespace: 'default',
      name: 'f',
      restartSuccessful: true,
      nodeFieldSelector: 'displayName=x',
      parameters: ['a=1'],
    });
  });

  it("words the server's refusal with what was attempted", async () => {
    expect(await argot('retry', 'r')).toMatchObject({ code: 1, stderr: 'argot: cannot retry workflow "r" in namespace default: workflow must be Failed/Error to retry\n' });
  });

  it('resubmits, memoized, and prints the new workflow', async () => {
    const r = await argot('resubmit', 'f', '--memoized', '-o', 'name');
    expect(r.stdout).toMatch(/^f-\w+\n$/);
    expect(fake.last('PUT', '/api/v1/workflows/default/f/resubmit')?.body).toEqual({ namespace: 'default', name: 'f', memoized: true });
  });

  it('suspends, resumes, stops and terminates, as argo words it', async () => {
    expect((await argot('suspend', 'r')).stdout).toBe('workflow r suspended\n');
    expect((await argot('resume', 'r', '--node-field-selector', 'displayName=approve')).stdout).toBe('workflow r resumed\n');
    expect(fake.last('PUT', '/api/v1/workflows/default/r/resume')?.body).toEqual({ namespace: 'default', name: 'r', nodeFieldSelector: 'displayName=approve' });
    expect((await argot('stop', 'r', '--message', 'enough')).stdout).toBe('workflow r stopped\n');
    expect(fake.last('PUT', '/api/v1/workflows/default/r/stop')?.body).toEqual({ namespace: 'default', name: 'r', message: 'enough' });
    expect((await argot('terminate', 'r', 'f')).stdout).toBe('workflow r terminated\nworkflow f terminated\n');
    expect(fake.last('PUT', '/api/v1/workflows/default/f/terminate')?.body).toEqual({ namespace: 'default', name: 'f' });
    expect(fake.calls().filter((c) => c.startsWith('PUT'))).toEqual([
      'PUT /api/v1/workflows/default/r/suspend',
      'PUT /api/v1/workflows/default/r/resume',
      'PUT /api/v1/workflows/default/r/stop',
      'PUT /api/v1/workflows/default/r/terminate',
      'PUT /api/v1/workflows/default/f/terminate',
    ]);
  });

  it('sets node values with output parameters as a JSON string', async () => {
    const r = await argot('node', 'set', 'r', '--node-field-selector', 'displayName=approve', '--phase', 'Succeeded', '-m', 'ok', '-p', 'answer="yes please"', '-p', 'n=3');
    expect(r).toMatchObject({ code: 0, stdout: 'workflow values set\n' });
    expect(fake.last('PUT', '/api/v1/workflows/default/r/set')?.body).toEqual({
      namespace: 'default',
      name: 'r',
      nodeFieldSelector: 'displayName=approve',
      phase: 'Succeeded',
      message: 'ok',
      outputParameters: '{"answer":"yes please","n":"3"}',
    });
    expect((await argot('node', 'set', 'r', '--node-field-selector', 'x=y', '--phase', 'Done')).stderr).toBe('argot: --phase Done: expected Succeeded or Failed\n');
    const missing = await argot('node', 'set', 'r', '--phase', 'Succeeded');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--node-field-selector <selector>' not specified");
  });
});
