// CronWorkflowService endpoints over StoreTemplateService.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CronWorkflow } from '../spec/types.js';
import { call, conforms } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

type List<T> = { metadata: { resourceVersion?: string }; items: T[] };
type ErrorBody = { code: number; message: string };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

const base = '/api/v1/cron-workflows';

function cron(name: string, namespace = 'default'): CronWorkflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name, namespace },
    spec: {
      schedules: ['*/5 * * * *'],
      concurrencyPolicy: 'Forbid',
      workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'fake', args: ['say tick'] } }] },
    },
  };
}

describe('cron workflows', () => {
  it('create, get, list, update and delete', async () => {
    const created = await call<CronWorkflow>(s.app, 'POST', `${base}/default`, { namespace: 'default', cronWorkflow: cron('tick') });
    expect(created.status, created.text).toBe(200);
    conforms(created.body, 'CronWorkflow');
    await call(s.app, 'POST', `${base}/other`, { cronWorkflow: cron('tock', 'other') });

    const got = await call<CronWorkflow>(s.app, 'GET', `${base}/default/tick`);
    expect(got.body).toEqual(created.body);
    conforms(got.body, 'CronWorkflow');

    const listed = await call<List<CronWorkflow>>(s.app, 'GET', `${base}/default`);
    expect(listed.body.items.map((c) => c.metadata.name)).toEqual(['tick']);
    conforms(listed.body, 'CronWorkflowList');
    expect((await call<List<CronWorkflow>>(s.app, 'GET', `${base}/`)).body.items).toHaveLength(2);

    const updated = await call<CronWorkflow>(s.app, 'PUT', `${base}/default/tick`, {
      name: 'tick',
      namespace: 'default',
      cronWorkflow: { ...got.body, spec: { ...got.body.spec, schedules: ['0 * * * *'] } },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.spec.schedules).toEqual(['0 * * * *']);
    conforms(updated.body, 'CronWorkflow');

    const deleted = await call(s.app, 'DELETE', `${base}/default/tick`);
    expect(deleted.body).toEqual({});
    conforms(deleted.body, 'CronWorkflowDeletedResponse');
    expect((await call(s.app, 'GET', `${base}/default/tick`)).status).toBe(404);
  });

  it('suspend and resume set spec.suspend', async () => {
    await call(s.app, 'POST', `${base}/default`, { cronWorkflow: cron('tick') });
    const suspended = await call<CronWorkflow>(s.app, 'PUT', `${base}/default/tick/suspend`, { namespace: 'default', name: 'tick' });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body.spec.suspend).toBe(true);
    conforms(suspended.body, 'CronWorkflow');
    expect((await call<CronWorkflow>(s.app, 'GET', `${base}/default/tick`)).body.spec.suspend).toBe(true);
    const resumed = await call<CronWorkflow>(s.app, 'PUT', `${base}/default/tick/resume`, {});
    expect(resumed.body.spec.suspend).toBe(false);
    conforms(resumed.body, 'CronWorkflow');
    expect((await call(s.app, 'PUT', `${base}/default/nope/suspend`, {})).status).toBe(404);
    expect((await call(s.app, 'PUT', `${base}/default/nope/resume`)).status).toBe(404);
  });

  it('lints, and refuses an invalid cron workflow on lint, create and update', async () => {
    const ok = await call<CronWorkflow>(s.app, 'POST', `${base}/default/lint`, { cronWorkflow: cron('ok') });
    expect(ok.status, ok.text).toBe(200);
    conforms(ok.body, 'CronWorkflow');

    const bad = cron('bad');
    bad.spec.schedules = [];
    const linted = await call<ErrorBody>(s.app, 'POST', `${base}/default/lint`, { cronWorkflow: bad });
    expect(linted.status).toBe(400);
    expect(linted.body.message).toContain('schedules');
    expect((await call(s.app, 'POST', `${base}/default`, { cronWorkflow: bad })).status).toBe(400);

    const good = (await call<CronWorkflow>(s.app, 'POST', `${base}/default`, { cronWorkflow: cron('good') })).body;
    const broken = { ...good, spec: { ...good.spec, workflowSpec: { ...good.spec.workflowSpec, entrypoint: 'nowhere' } } };
    const res = await call<ErrorBody>(s.app, 'PUT', `${base}/default/good`, { cronWorkflow: broken });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('nowhere');
  });

  it('answers 409 for a duplicate and 400 for a missing cronWorkflow', async () => {
    await call(s.app, 'POST', `${base}/default`, { cronWorkflow: cron('tick') });
    expect((await call(s.app, 'POST', `${base}/default`, { cronWorkflow: cron('tick') })).status).toBe(409);
    const missing = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { template: cron('tick') });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('"cronWorkflow"');
  });
});
