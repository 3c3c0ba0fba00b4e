// WorkflowService's unary endpoints, through the real controller and engine (fake pods).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workflow, WorkflowTemplate } from '../spec/types.js';
import { call, conforms, eventually } from './test-helpers/api.js';
import { scriptedWorkflow, startStack, type Stack } from './test-helpers/stack.js';

type List = { metadata: { resourceVersion?: string; continue?: string }; items: Workflow[] | null };
type ErrorBody = { code: number; message: string };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

const create = (wf: Workflow, extra: Record<string, unknown> = {}) => call<Workflow>(s.app, 'POST', `/api/v1/workflows/${wf.metadata.namespace ?? 'default'}`, { namespace: wf.metadata.namespace, workflow: wf, ...extra });
const get = (ns: string, name: string, query = '') => call<Workflow>(s.app, 'GET', `/api/v1/workflows/${ns}/${name}${query}`);
const finished = (ns: string, name: string) =>
  eventually(
    async () => (await get(ns, name)).body,
    (wf) => ['Succeeded', 'Failed', 'Error'].includes(wf.status?.phase ?? ''),
  );

async function runToEnd(wf: Workflow): Promise<Workflow> {
  const res = await create(wf);
  expect(res.status, res.text).toBe(200);
  return finished(wf.metadata.namespace ?? 'default', res.body.metadata.name ?? '');
}

describe('POST /api/v1/workflows/{namespace} (create)', () => {
  it('creates and runs the workflow, answering with the stored Workflow', async () => {
    const res = await create(scriptedWorkflow('hello', 'say hi'));
    expect(res.status).toBe(200);
    expect(res.body.metadata).toMatchObject({ name: 'hello', namespace: 'default' });
    expect(res.body.metadata.uid).toBeTruthy();
    conforms(res.body, 'Workflow');
    const done = await finished('default', 'hello');
    expect(done.status?.phase).toBe('Succeeded');
    conforms(done, 'Workflow');
  });

  it('names a generateName workflow and takes the namespace from the path', async () => {
    const wf = scriptedWorkflow('x', 'say hi');
    wf.metadata = { generateName: 'gen-' };
    const res = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/team', { workflow: wf });
    expect(res.status).toBe(200);
    expect(res.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(res.body.metadata.namespace).toBe('team');
  });

  it('accepts a workflow without apiVersion and kind (the path says what it is)', async () => {
    const { apiVersion: _a, kind: _k, ...bare } = scriptedWorkflow('bare', 'say hi');
    const res = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/default', { workflow: bare });
    expect(res.status, res.text).toBe(200);
    expect(res.body.kind).toBe('Workflow');
  });

  it('with serverDryRun, answers with the workflow and stores nothing', async () => {
    const res = await create(scriptedWorkflow('dry', 'say hi'), { serverDryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.metadata.name).toBe('dry');
    expect((await get('default', 'dry')).status).toBe(404);
  });

  it('refuses a workflow that names another namespace than the path', async () => {
    const wf = { ...scriptedWorkflow('ns', 'say hi'), metadata: { name: 'ns', namespace: 'other' } };
    const res = await call<ErrorBody>(s.app, 'POST', '/api/v1/workflows/default', { workflow: wf });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 3, message: expect.stringContaining('does not match') });
  });

  it('refuses a body without "workflow", saying so', async () => {
    const res = await call<ErrorBody>(s.app, 'POST', '/api/v1/workflows/default', { namespace: 'default' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(3);
    expect(res.body.message).toContain('"workflow"');
  });

  it('refuses an invalid workflow with 400 and the lint problem', async () => {
    const wf = scriptedWorkflow('bad', 'say hi', { entrypoint: 'nope' });
    const res = await create(wf);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 3 });
    expect((res.body as unknown as ErrorBody).message).toContain('nope');
  });

  it('refuses a name that is taken with 409 AlreadyExists', async () => {
    await create(scriptedWorkflow('twice', 'say hi'));
    const res = await create(scriptedWorkflow('twice', 'say hi'));
    expect(res.status).toBe(409);
    expect((res.body as unknown as ErrorBody).code).toBe(6);
  });
});

describe('GET /api/v1/workflows/{namespace} (list)', () => {
  beforeEach(async () => {
    await runToEnd(scriptedWorkflow('alpha-1', 'say a'));
    await runToEnd({ ...scriptedWorkflow('beta-1', 'exit 1'), metadata: { name: 'beta-1', namespace: 'default', labels: { team: 'b' } } });
    await runToEnd({ ...scriptedWorkflow('alpha-2', 'say c'), metadata: { name: 'alpha-2', namespace: 'other' } });
  });
  const list = (url: string) => call<List>(s.app, 'GET', url);
  const names = (body: List) => (body.items ?? []).map((w) => w.metadata.name).sort();

  it('lists one namespace, as a WorkflowList without node status', async () => {
    const res = await list('/api/v1/workflows/default');
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['alpha-1', 'beta-1']);
    expect(res.body.metadata.resourceVersion).toBeTruthy();
    expect(res.body.items?.[0]?.status?.nodes).toBeUndefined();
    conforms(res.body, 'WorkflowList');
  });

  it('lists every namespace at /api/v1/workflows/ (and without the slash)', async () => {
    expect(names((await list('/api/v1/workflows/')).body)).toEqual(['alpha-1', 'alpha-2', 'beta-1']);
    expect(names((await list('/api/v1/workflows')).body)).toEqual(['alpha-1', 'alpha-2', 'beta-1']);
  });

  it('filters by label selector, including the phase label the UI uses', async () => {
    expect(names((await list('/api/v1/workflows/default?listOptions.labelSelector=team%3Db')).body)).toEqual(['beta-1']);
    const phases = encodeURIComponent('workflows.argoproj.io/phase in (Failed,Error)');
    expect(names((await list(`/api/v1/workflows/?listOptions.labelSelector=${phases}`)).body)).toEqual(['beta-1']);
  });

  it('filters by field selector, with nameFilter Exact, Prefix or Contains', async () => {
    const sel = (v: string) => `listOptions.fieldSelector=${encodeURIComponent(`metadata.name=${v}`)}`;
    expect(names((await list(`/api/v1/workflows/?${sel('alpha-1')}`)).body)).toEqual(['alpha-1']);
    expect(names((await list(`/api/v1/workflows/?${sel('alpha')}&nameFilter=Prefix`)).body)).toEqual(['alpha-1', 'alpha-2']);
    expect(names((await list(`/api/v1/workflows/?${sel('-1')}&nameFilter=Contains`)).body)).toEqual(['alpha-1', 'beta-1']);
    expect(names((await list('/api/v1/workflows/?namePrefix=be&nameFilter=Prefix')).body)).toEqual(['beta-1']);
  });

  it('pages with listOptions.limit and listOptions.continue, also under a Contains filter', async () => {
    const first = await list('/api/v1/workflows/?listOptions.limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.metadata.continue).toBeTruthy();
    const second = await list(`/api/v1/workflows/?listOptions.limit=2&listOptions.continue=${encodeURIComponent(first.body.metadata.continue ?? '')}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.metadata.continue).toBeUndefined();
    expect([...names(first.body), ...names(second.body)].sort()).toEqual(['alpha-1', 'alpha-2', 'beta-1']);

    const contains = `nameFilter=Contains&listOptions.fieldSelector=${encodeURIComponent('metadata.name=alpha')}`;
    const p1 = await list(`/api/v1/workflows/?${contains}&listOptions.limit=1`);
    const p2 = await list(`/api/v1/workflows/?${contains}&listOptions.limit=1&listOptions.continue=${encodeURIComponent(p1.body.metadata.continue ?? '')}`);
    expect([...names(p1.body), ...names(p2.body)].sort()).toEqual(['alpha-1', 'alpha-2']);
  });

  it('projects with fields= as Argo does', async () => {
    const res = await list('/api/v1/workflows/default?fields=items.metadata.name,items.status.phase');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: expect.arrayContaining([
        { metadata: { name: 'alpha-1' }, status: { phase: 'Succeeded' } },
        { metadata: { name: 'beta-1' }, status: { phase: 'Failed' } },
      ]),
    });
    const excluded = await list('/api/v1/workflows/default?fields=-items.spec,items.status');
    expect(excluded.body.items?.[0]).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: expect.any(Object) });
    expect(excluded.body.metadata.resourceVersion).toBeTruthy();
  });

  it('includes node status when fields asks for it', async () => {
    const res = await list('/api/v1/workflows/default?fields=items.metadata.name,items.status.nodes');
    for (const wf of res.body.items ?? []) expect(Object.keys(wf.status?.nodes ?? {})).toHaveLength(1);
  });

  it('filters by createdAfter and finishedBefore', async () => {
    expect(names((await list('/api/v1/workflows/?createdAfter=2000-01-01T00:00:00Z')).body)).toHaveLength(3);
    expect(names((await list('/api/v1/workflows/?createdAfter=2999-01-01T00:00:00Z')).body)).toEqual([]);
    expect(names((await list('/api/v1/workflows/?finishedBefore=2999-01-01T00:00:00Z')).body)).toHaveLength(3);
    expect((await list('/api/v1/workflows/?createdAfter=yesterday')).status).toBe(400);
  });

  it('answers bad selectors, limits, tokens and nameFilters with 400', async () => {
    for (const q of [
      `listOptions.labelSelector=${encodeURIComponent('a in (')}`,
      `listOptions.fieldSelector=${encodeURIComponent('spec.foo=1')}`,
      'listOptions.limit=many',
      'listOptions.limit=-1',
      'listOptions.continue=garbage',
      'nameFilter=Fuzzy',
    ]) {
      const res = await call<ErrorBody>(s.app, 'GET', `/api/v1/workflows/default?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe(3);
    }
  });
});

describe('GET /api/v1/workflows/{namespace}/{name} (get)', () => {
  it('returns the whole workflow with its nodes', async () => {
    await runToEnd(scriptedWorkflow('one', 'say hi'));
    const res = await get('default', 'one');
    expect(res.status).toBe(200);
    expect(Object.values(res.body.status?.nodes ?? {})[0]).toMatchObject({ type: 'Pod', phase: 'Succeeded' });
    conforms(res.body, 'Workflow');
  });

  it('resolves @latest to the newest workflow of the namespace', async () => {
    await runToEnd(scriptedWorkflow('older', 'say hi'));
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamps have whole seconds
    await runToEnd(scriptedWorkflow('newer', 'say hi'));
    const res = await get('default', '@latest');
    expect(res.body.metadata.name).toBe('newer');
    expect(res.body.status?.nodes).toBeDefined();
  });

  it('projects with fields=', async () => {
    await runToEnd(scriptedWorkflow('proj', 'say hi'));
    expect((await get('default', 'proj', '?fields=metadata.name,status.phase')).body).toEqual({ metadata: { name: 'proj' }, status: { phase: 'Succeeded' } });
  });

  it('answers 404 NotFound for a missing workflow or a different uid', async () => {
    const missing = await call<ErrorBody>(s.app, 'GET', '/api/v1/workflows/default/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(5);
    expect(missing.body.message).toContain('nope');
    await runToEnd(scriptedWorkflow('uid', 'say hi'));
    expect((await get('default', 'uid', '?uid=00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await get('default', '@latest')).status).toBe(200);
    expect((await get('empty', '@latest')).status).toBe(404);
  });
});

describe('DELETE /api/v1/workflows/{namespace}/{name}', () => {
  it('deletes and answers {}; a second delete is 404', async () => {
    await runToEnd(scriptedWorkflow('gone', 'say hi'));
    const res = await call(s.app, 'DELETE', '/api/v1/workflows/default/gone?force=true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    conforms(res.body, 'WorkflowDeleteResponse');
    expect((await get('default', 'gone')).status).toBe(404);
    expect((await call(s.app, 'DELETE', '/api/v1/workflows/default/gone')).status).toBe(404);
  });
});

describe('POST /api/v1/workflows/{namespace}/submit', () => {
  const template: WorkflowTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: { name: 'greeter', namespace: 'default' },
    spec: {
      entrypoint: 'main',
      arguments: { parameters: [{ name: 'who', value: 'world' }] },
      templates: [{ name: 'main', container: { image: 'fake', args: ['say hello {{workflow.parameters.who}}'] } }],
    },
  };

  it('runs a WorkflowTemplate with parameters and labels from submitOptions', async () => {
    expect((await call(s.app, 'POST', '/api/v1/workflow-templates/default', { template })).status).toBe(200);
    const res = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/default/submit', {
      namespace: 'default',
      resourceKind: 'WorkflowTemplate',
      resourceName: 'greeter',
      submitOptions: { parameters: ['who=argot'], labels: 'via=api,x=y' },
    });
    expect(res.status, res.text).toBe(200);
    conforms(res.body, 'Workflow');
    expect(res.body.metadata.labels).toMatchObject({ via: 'api', x: 'y', 'workflows.argoproj.io/workflow-template': 'greeter' });
    const done = await finished('default', res.body.metadata.name ?? '');
    expect(done.status?.phase).toBe('Succeeded');
    expect(Object.values(done.status?.nodes ?? {}).find((n) => n.type === 'Pod')?.outputs?.result).toBe('hello argot');
  });

  it('accepts plural and short kind names, and cluster templates and cron workflows', async () => {
    await call(s.app, 'POST', '/api/v1/workflow-templates/default', { template });
    await call(s.app, 'POST', '/api/v1/cluster-workflow-templates', { template: { ...template, kind: 'ClusterWorkflowTemplate', metadata: { name: 'cluster-greeter' } } });
    await call(s.app, 'POST', '/api/v1/cron-workflows/default', {
      cronWorkflow: { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'nightly', namespace: 'default' }, spec: { schedules: ['0 0 * * *'], workflowSpec: template.spec } },
    });
    for (const [kind, name] of [
      ['workflowtemplates', 'greeter'],
      ['wftmpl', 'greeter'],
      ['ClusterWorkflowTemplate', 'cluster-greeter'],
      ['cronwf', 'nightly'],
    ] as const) {
      const res = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: kind, resourceName: name });
      expect(res.status, `${kind}: ${res.text}`).toBe(200);
    }
  });

  it('answers dryRun without creating, 404 for a missing template, 400 for a bad kind or body', async () => {
    await call(s.app, 'POST', '/api/v1/workflow-templates/default', { template });
    const dry = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: 'WorkflowTemplate', resourceName: 'greeter', submitOptions: { dryRun: true, name: 'dry-one' } });
    expect(dry.status).toBe(200);
    expect((await get('default', 'dry-one')).status).toBe(404);
    expect((await call(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: 'WorkflowTemplate', resourceName: 'nope' })).status).toBe(404);
    expect((await call(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: 'Pod', resourceName: 'greeter' })).status).toBe(400);
    const missing = await call<ErrorBody>(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: 'WorkflowTemplate' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('resourceName');
    expect((await call(s.app, 'POST', '/api/v1/workflows/default/submit', { resourceKind: 'wftmpl', resourceName: 'greeter', submitOptions: { labels: 'novalue' } })).status).toBe(400);
  });
});

describe('POST /api/v1/workflows/{namespace}/lint', () => {
  it('answers a valid workflow with the workflow, an invalid one with 400', async () => {
    const ok = await call<Workflow>(s.app, 'POST', '/api/v1/workflows/default/lint', { namespace: 'default', workflow: scriptedWorkflow('l', 'say hi') });
    expect(ok.status).toBe(200);
    conforms(ok.body, 'Workflow');
    expect((await get('default', 'l')).status).toBe(404);
    const bad = scriptedWorkflow('l', 'say hi');
    (bad.spec as Record<string, unknown>)['entrypont'] = 'main';
    const res = await call<ErrorBody>(s.app, 'POST', '/api/v1/workflows/default/lint', { workflow: bad });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('entrypont');
  });
});

describe('PUT /api/v1/workflows/{namespace}/{name}/{operation}', () => {
  const put = (name: string, verb: string, body: unknown = { namespace: 'default', name }) => call<Workflow>(s.app, 'PUT', `/api/v1/workflows/default/${name}/${verb}`, body);

  it('retry reruns a failed workflow', async () => {
    await runToEnd(scriptedWorkflow('flaky', 'exit 1'));
    const res = await put('flaky', 'retry', { namespace: 'default', name: 'flaky', restartSuccessful: false });
    expect(res.status, res.text).toBe(200);
    conforms(res.body, 'Workflow');
    expect(res.body.status?.phase).toBe('Running');
    expect((await finished('default', 'flaky')).status?.phase).toBe('Failed');
    expect(s.runtime.created.filter((p) => p === 'flaky')).toHaveLength(2);
  });

  it('retry of a running workflow is refused with 400', async () => {
    await create(scriptedWorkflow('busy', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (held) => held.length === 1);
    const res = await put('busy', 'retry');
    expect(res.status).toBe(400);
  });

  it('resubmit creates a new workflow from the old one', async () => {
    await runToEnd(scriptedWorkflow('again', 'say hi'));
    const res = await put('again', 'resubmit', { memoized: false });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metadata.name).not.toBe('again');
    conforms(res.body, 'Workflow');
    expect((await finished('default', res.body.metadata.name ?? '')).status?.phase).toBe('Succeeded');
  });

  it('suspend and resume toggle spec.suspend', async () => {
    await create(scriptedWorkflow('pausable', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (held) => held.length === 1);
    const suspended = await put('pausable', 'suspend');
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body.spec.suspend).toBe(true);
    conforms(suspended.body, 'Workflow');
    const resumed = await put('pausable', 'resume', {});
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.spec.suspend).toBeFalsy();
    s.runtime.release('pausable');
    expect((await finished('default', 'pausable')).status?.phase).toBe('Succeeded');
  });

  it('stop and terminate end a running workflow', async () => {
    await create(scriptedWorkflow('stoppable', 'hold'));
    await create(scriptedWorkflow('terminable', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (held) => held.length === 2);
    const stopped = await put('stoppable', 'stop', { message: 'enough' });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body.spec.shutdown).toBe('Stop');
    const terminated = await put('terminable', 'terminate', undefined);
    expect(terminated.status, terminated.text).toBe(200);
    expect(terminated.body.spec.shutdown).toBe('Terminate');
    conforms(terminated.body, 'Workflow');
    expect((await finished('default', 'stoppable')).status?.phase).toBe('Failed');
    expect((await finished('default', 'terminable')).status?.phase).toBe('Failed');
  });

  it('set completes a suspend node with output parameters', async () => {
    const wf: Workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'approval', namespace: 'default' },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            steps: [
              [{ name: 'approve', template: 'approve' }],
              [{ name: 'after', template: 'echo', arguments: { parameters: [{ name: 'v', value: '{{steps.approve.outputs.parameters.choice}}' }] } }],
            ],
          },
          { name: 'approve', suspend: {}, outputs: { parameters: [{ name: 'choice', valueFrom: { supplied: {} } }] } },
          { name: 'echo', inputs: { parameters: [{ name: 'v' }] }, container: { image: 'fake', args: ['say {{inputs.parameters.v}}'] } },
        ],
      },
    };
    await create(wf);
    await eventually(
      async () => (await get('default', 'approval')).body,
      (w) => Object.values(w.status?.nodes ?? {}).some((n) => n.type === 'Suspend' && n.phase === 'Running'),
    );
    const res = await put('approval', 'set', { nodeFieldSelector: 'displayName=approve', phase: 'Succeeded', outputParameters: JSON.stringify({ choice: 'yes' }) });
    expect(res.status, res.text).toBe(200);
    conforms(res.body, 'Workflow');
    const done = await finished('default', 'approval');
    expect(done.status?.phase).toBe('Succeeded');
    expect(Object.values(done.status?.nodes ?? {}).find((n) => n.displayName === 'after')?.outputs?.result).toBe('yes');
  });

  it('set refuses a request without nodeFieldSelector, a bad phase or bad outputParameters', async () => {
    await create(scriptedWorkflow('s', 'hold'));
    for (const body of [{}, { nodeFieldSelector: 'displayName=s', phase: 'Running' }, { nodeFieldSelector: 'displayName=s', outputParameters: 'not json' }]) {
      const res = await call<ErrorBody>(s.app, 'PUT', '/api/v1/workflows/default/s/set', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(3);
    }
  });

  it('operations on a missing workflow answer 404', async () => {
    for (const verb of ['retry', 'resubmit', 'suspend', 'resume', 'stop', 'terminate']) expect((await put('ghost', verb)).status, verb).toBe(404);
  });
});

describe('DELETE /api/v1/workflows/{namespace}/{name}/pods/{pod} (argot: pod loss)', () => {
  it('deletes the pod through the runtime, and the workflow sees it gone', async () => {
    await create(scriptedWorkflow('victim', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (held) => held.length === 1);
    const res = await call(s.app, 'DELETE', '/api/v1/workflows/default/victim/pods/victim?gracePeriodSeconds=0');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expect(s.runtime.deleted).toContainEqual({ pod: 'victim' });
    const done = await finished('default', 'victim');
    expect(done.status?.phase).not.toBe('Succeeded');
    expect(JSON.stringify(done.status?.nodes)).toContain('pod deleted');
  });

  it('passes the grace period, and answers 404 for an unknown pod and 400 for a bad period', async () => {
    await create(scriptedWorkflow('graceful', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (held) => held.length === 1);
    expect((await call(s.app, 'DELETE', '/api/v1/workflows/default/graceful/pods/nope')).status).toBe(404);
    expect((await call(s.app, 'DELETE', '/api/v1/workflows/default/graceful/pods/graceful?gracePeriodSeconds=-3')).status).toBe(400);
    expect((await call(s.app, 'DELETE', '/api/v1/workflows/default/graceful/pods/graceful?gracePeriodSeconds=5')).status).toBe(200);
    expect(s.runtime.deleted).toContainEqual({ pod: 'graceful', graceSeconds: 5 });
  });
});
