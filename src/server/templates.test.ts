// WorkflowTemplateService and ClusterWorkflowTemplateService endpoints over StoreTemplateService.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterWorkflowTemplate, WorkflowTemplate } from '../spec/types.js';
import { call, conforms } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

type List<T> = { metadata: { resourceVersion?: string; continue?: string }; items: T[] };
type ErrorBody = { code: number; message: string };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

const spec = (): WorkflowTemplate['spec'] => ({
  entrypoint: 'main',
  templates: [{ name: 'main', container: { image: 'fake', args: ['say hi'] } }],
});

function template(name: string, namespace = 'default'): WorkflowTemplate {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name, namespace, labels: { app: name.split('-')[0] ?? '' } }, spec: spec() };
}

function clusterTemplate(name: string): ClusterWorkflowTemplate {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: { name }, spec: spec() };
}

describe('workflow templates', () => {
  const base = '/api/v1/workflow-templates';

  it('create, get, list, update and delete', async () => {
    const created = await call<WorkflowTemplate>(s.app, 'POST', `${base}/default`, { namespace: 'default', template: template('build-a') });
    expect(created.status, created.text).toBe(200);
    expect(created.body.metadata).toMatchObject({ name: 'build-a', namespace: 'default', resourceVersion: expect.any(String), uid: expect.any(String) });
    conforms(created.body, 'WorkflowTemplate');

    await call(s.app, 'POST', `${base}/default`, { template: template('build-b') });
    await call(s.app, 'POST', `${base}/other`, { template: template('deploy-a', 'other') });

    const got = await call<WorkflowTemplate>(s.app, 'GET', `${base}/default/build-a`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    conforms(got.body, 'WorkflowTemplate');

    const listed = await call<List<WorkflowTemplate>>(s.app, 'GET', `${base}/default`);
    expect(listed.body.items.map((t) => t.metadata.name).sort()).toEqual(['build-a', 'build-b']);
    conforms(listed.body, 'WorkflowTemplateList');
    const all = await call<List<WorkflowTemplate>>(s.app, 'GET', `${base}/`);
    expect(all.body.items).toHaveLength(3);
    const labelled = await call<List<WorkflowTemplate>>(s.app, 'GET', `${base}/?listOptions.labelSelector=app%3Ddeploy`);
    expect(labelled.body.items.map((t) => t.metadata.name)).toEqual(['deploy-a']);
    const pattern = await call<List<WorkflowTemplate>>(s.app, 'GET', `${base}/?namePattern=-b`);
    expect(pattern.body.items.map((t) => t.metadata.name)).toEqual(['build-b']);
    const page = await call<List<WorkflowTemplate>>(s.app, 'GET', `${base}/?listOptions.limit=2&fields=metadata.continue,items.metadata.name`);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.metadata.continue).toBeTruthy();
    expect(Object.keys(page.body.items[0] ?? {})).toEqual(['metadata']);

    const changed = { ...got.body, spec: { ...got.body.spec, entrypoint: 'main', arguments: { parameters: [{ name: 'p', value: '1' }] } } };
    const updated = await call<WorkflowTemplate>(s.app, 'PUT', `${base}/default/build-a`, { name: 'build-a', namespace: 'default', template: changed });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.spec.arguments?.parameters?.[0]?.value).toBe('1');
    expect(updated.body.metadata.resourceVersion).not.toBe(got.body.metadata.resourceVersion);
    conforms(updated.body, 'WorkflowTemplate');

    const deleted = await call(s.app, 'DELETE', `${base}/default/build-a`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    conforms(deleted.body, 'WorkflowTemplateDeleteResponse');
    expect((await call(s.app, 'GET', `${base}/default/build-a`)).status).toBe(404);
  });

  it('refuses a stale update with 409, a duplicate with 409, and a missing one with 404', async () => {
    const first = (await call<WorkflowTemplate>(s.app, 'POST', `${base}/default`, { template: template('t') })).body;
    await call(s.app, 'PUT', `${base}/default/t`, { template: first });
    const stale = await call<ErrorBody>(s.app, 'PUT', `${base}/default/t`, { template: first });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe(6);
    const dup = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { template: template('t') });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe(6);
    const missing = await call<ErrorBody>(s.app, 'PUT', `${base}/default/nope`, { template: template('nope') });
    expect(missing.status).toBe(404);
    expect((await call(s.app, 'DELETE', `${base}/default/nope`)).status).toBe(404);
    expect((await call(s.app, 'GET', `${base}/default/nope`)).status).toBe(404);
  });

  it('refuses an update whose body names another template', async () => {
    await call(s.app, 'POST', `${base}/default`, { template: template('t') });
    const res = await call<ErrorBody>(s.app, 'PUT', `${base}/default/t`, { template: template('u') });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('does not match');
  });

  it('lints: a valid template comes back, an invalid one is refused with the problem and its path', async () => {
    const ok = await call<WorkflowTemplate>(s.app, 'POST', `${base}/default/lint`, { namespace: 'default', template: template('ok') });
    expect(ok.status).toBe(200);
    conforms(ok.body, 'WorkflowTemplate');
    expect((await call(s.app, 'GET', `${base}/default/ok`)).status).toBe(404);

    const bad = template('bad');
    bad.spec.entrypoint = 'missing';
    const linted = await call<ErrorBody>(s.app, 'POST', `${base}/default/lint`, { template: bad });
    expect(linted.status).toBe(400);
    expect(linted.body.code).toBe(3);
    expect(linted.body.message).toContain('missing');
    // create lints too
    const created = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { template: bad });
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('spec.entrypoint');
  });

  it('refuses a body of the wrong kind or without a template', async () => {
    const wrong = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { template: { ...template('x'), kind: 'Workflow' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('WorkflowTemplate');
    const none = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { namespace: 'default' });
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('"template"');
    const noMeta = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { template: { spec: spec() } });
    expect(noMeta.status).toBe(400);
    expect(noMeta.body.message).toContain('metadata');
  });
});

describe('cluster workflow templates', () => {
  const base = '/api/v1/cluster-workflow-templates';

  it('create, get, list, update, lint and delete without a namespace', async () => {
    const created = await call<ClusterWorkflowTemplate>(s.app, 'POST', base, { template: clusterTemplate('shared') });
    expect(created.status, created.text).toBe(200);
    expect(created.body.metadata.namespace).toBeUndefined();
    conforms(created.body, 'ClusterWorkflowTemplate');
    await call(s.app, 'POST', base, { template: clusterTemplate('other') });

    const got = await call<ClusterWorkflowTemplate>(s.app, 'GET', `${base}/shared`);
    expect(got.body).toEqual(created.body);
    conforms(got.body, 'ClusterWorkflowTemplate');

    const listed = await call<List<ClusterWorkflowTemplate>>(s.app, 'GET', base);
    expect(listed.body.items.map((t) => t.metadata.name).sort()).toEqual(['other', 'shared']);
    conforms(listed.body, 'ClusterWorkflowTemplateList');
    expect((await call<List<ClusterWorkflowTemplate>>(s.app, 'GET', `${base}/`)).body.items).toHaveLength(2);

    const updated = await call<ClusterWorkflowTemplate>(s.app, 'PUT', `${base}/shared`, { name: 'shared', template: { ...got.body, metadata: { ...got.body.metadata, labels: { v: '2' } } } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.metadata.labels).toEqual({ v: '2' });
    conforms(updated.body, 'ClusterWorkflowTemplate');

    const linted = await call<ClusterWorkflowTemplate>(s.app, 'POST', `${base}/lint`, { template: clusterTemplate('linted') });
    expect(linted.status).toBe(200);
    conforms(linted.body, 'ClusterWorkflowTemplate');
    const bad = clusterTemplate('bad');
    bad.spec.templates = [];
    expect((await call(s.app, 'POST', `${base}/lint`, { template: bad })).status).toBe(400);

    const deleted = await call(s.app, 'DELETE', `${base}/shared`);
    expect(deleted.body).toEqual({});
    conforms(deleted.body, 'ClusterWorkflowTemplateDeleteResponse');
    expect((await call(s.app, 'GET', `${base}/shared`)).status).toBe(404);
    expect((await call(s.app, 'DELETE', `${base}/shared`)).status).toBe(404);
  });
});
