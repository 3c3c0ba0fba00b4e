import { describe, expect, it } from 'vitest';
import type { CronWorkflow, CronWorkflowSpec, Workflow, WorkflowPhase } from '../spec/types.js';
import { decide, type DecideInput } from './decide.js';
import type { CronWorkflowStatus } from './status.js';

const T = (iso: string): Date => new Date(iso);

function cron(spec: Partial<CronWorkflowSpec> = {}, status?: CronWorkflowStatus): CronWorkflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name: 'nightly', namespace: 'argo', uid: 'cron-uid', creationTimestamp: '2024-01-01T00:00:00Z', labels: { team: 'data' } },
    spec: { schedules: ['* * * * *'], workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] }, ...spec },
    ...(status && { status }),
  };
}

function run(name: string, phase: WorkflowPhase | undefined, finishedAt?: string, uid = `${name}-uid`): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'argo', uid, creationTimestamp: finishedAt ?? '2024-01-01T00:00:00Z', labels: { 'workflows.argoproj.io/cron-workflow': 'nightly' } },
    spec: {},
    ...(phase && { status: { phase, ...(finishedAt && { finishedAt }) } }),
  };
}

function look(input: Partial<DecideInput> & { cron: CronWorkflow }) {
  return decide({ workflows: [], now: T('2024-01-01T10:00:00Z'), defaultTimezone: 'UTC', ...input });
}

describe('a timer firing on time', () => {
  it('creates the run for the fired time, named after it', () => {
    const d = look({ cron: cron(), now: T('2024-01-01T10:00:00.004Z'), firedFor: T('2024-01-01T10:00:00Z') });
    expect(d.scheduledTime?.toISOString()).toBe('2024-01-01T10:00:00.000Z');
    expect(d.skip).toBeUndefined();
    expect(d.create).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        name: 'nightly-1704103200',
        namespace: 'argo',
        labels: { 'workflows.argoproj.io/cron-workflow': 'nightly' },
        annotations: { 'workflows.argoproj.io/scheduled-time': '2024-01-01T10:00:00Z' },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', name: 'nightly', uid: 'cron-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] },
    });
    expect(d.nextRunAt?.toISOString()).toBe('2024-01-01T10:01:00.000Z');
  });

  it('adds workflowMetadata, without letting it take the ownership label', () => {
    const d = look({
      cron: cron({ workflowMetadata: { labels: { app: 'etl', 'workflows.argoproj.io/cron-workflow': 'other' }, annotations: { note: 'x' } } }),
      firedFor: T('2024-01-01T10:00:00Z'),
    });
    expect(d.create?.metadata.labels).toEqual({ app: 'etl', 'workflows.argoproj.io/cron-workflow': 'nightly' });
    expect(d.create?.metadata.annotations).toEqual({ note: 'x', 'workflows.argoproj.io/scheduled-time': '2024-01-01T10:00:00Z' });
  });

  it('uses the deprecated single schedule', () => {
    const d = look({ cron: cron({ schedules: undefined, schedule: '0 10 * * *' }), firedFor: T('2024-01-01T10:00:00Z') });
    expect(d.create?.metadata.name).toBe('nightly-1704103200');
    expect(d.nextRunAt?.toISOString()).toBe('2024-01-02T10:00:00.000Z');
  });

  it('wakes for the earliest of several schedules', () => {
    const d = look({ cron: cron({ schedules: ['0 12 * * *', '30 10 * * *', '0 11 * * *'] }) });
    expect(d.create).toBeUndefined();
    expect(d.nextRunAt?.toISOString()).toBe('2024-01-01T10:30:00.000Z');
  });
});

describe('nothing due', () => {
  it('does not backfill a cron workflow that never ran', () => {
    const d = look({ cron: cron({ startingDeadlineSeconds: 3600 }), now: T('2024-01-01T10:00:30Z') });
    expect(d.scheduledTime).toBeUndefined();
    expect(d.create).toBeUndefined();
    expect(d.nextRunAt?.toISOString()).toBe('2024-01-01T10:01:00.000Z');
  });

  it('does not run a time already scheduled', () => {
    const d = look({ cron: cron({}, { lastScheduledTime: '2024-01-01T10:00:00Z' }), now: T('2024-01-01T10:00:30Z'), firedFor: T('2024-01-01T10:00:00Z') });
    expect(d.scheduledTime).toBeUndefined();
  });
});

/** A cron workflow that ran under its current schedule (Argo's last-used-schedule annotation). */
function ran(c: CronWorkflow): CronWorkflow {
  c.metadata.annotations = { 'cronworkflows.argoproj.io/last-used-schedule': (c.spec.schedules ?? []).join(',') };
  return c;
}

describe('missed times', () => {
  const last = { lastScheduledTime: '2024-01-01T10:00:00Z' };

  it('runs only the latest missed time, within startingDeadlineSeconds', () => {
    const d = look({ cron: ran(cron({ startingDeadlineSeconds: 60 }, last)), now: T('2024-01-01T10:10:30Z') });
    expect(d.scheduledTime?.toISOString()).toBe('2024-01-01T10:10:00.000Z');
    expect(d.create?.metadata.name).toBe('nightly-1704103800');
    expect(d.nextRunAt?.toISOString()).toBe('2024-01-01T10:11:00.000Z');
  });

  it('skips it with a warning outside the deadline', () => {
    const d = look({ cron: ran(cron({ startingDeadlineSeconds: 20 }, last)), now: T('2024-01-01T10:10:30Z') });
    expect(d.create).toBeUndefined();
    expect(d.skip?.reason).toBe('Missed');
    expect(d.skip?.message).toMatch(/missed the run scheduled for 2024-01-01T10:10:00.000Z.*startingDeadlineSeconds \(20\)/);
  });

  it('skips it without startingDeadlineSeconds, as Argo does', () => {
    const d = look({ cron: ran(cron({}, last)), now: T('2024-01-01T10:10:01Z') });
    expect(d.skip?.reason).toBe('Missed');
    expect(d.skip?.message).toMatch(/startingDeadlineSeconds is not set/);
  });

  it('does not run a missed time right after a schedule edit', () => {
    const edited = ran(cron({ startingDeadlineSeconds: 60 }, last));
    edited.spec.schedules = ['*/5 * * * *'];
    const d = look({ cron: edited, now: T('2024-01-01T10:10:30Z') });
    expect(d.skip?.message).toMatch(/the schedule changed since the last run/);
    expect(d.annotations).toBeUndefined();
  });

  it('records the schedule in use when a timer fires, with the timezone', () => {
    const c = cron({ timezone: 'Europe/Paris', schedules: ['0 * * * *', '30 * * * *'], when: 'false' });
    const d = look({ cron: c, now: T('2024-01-01T10:00:00Z'), firedFor: T('2024-01-01T10:00:00Z') });
    expect(d.skip?.reason).toBe('WhenFalse');
    expect(d.annotations).toEqual({ 'cronworkflows.argoproj.io/last-used-schedule': 'CRON_TZ=Europe/Paris 0 * * * *,30 * * * *' });
  });

  it('treats a late timer that slept past later times as a missed run', () => {
    const d = look({ cron: cron({}, last), now: T('2024-01-01T10:05:10Z'), firedFor: T('2024-01-01T10:01:00Z') });
    expect(d.scheduledTime?.toISOString()).toBe('2024-01-01T10:05:00.000Z');
    expect(d.skip?.reason).toBe('Missed');
  });
});

describe('skips', () => {
  const fired = { now: T('2024-01-01T10:00:00Z'), firedFor: T('2024-01-01T10:00:00Z') };

  it('suspend: no run and no timer', () => {
    const d = look({ cron: cron({ suspend: true }), ...fired });
    expect(d.skip?.reason).toBe('Suspended');
    expect(d.create).toBeUndefined();
    expect(d.nextRunAt).toBeUndefined();
  });

  it('when false', () => {
    const d = look({ cron: cron({ when: '{{cronworkflow.succeeded}} > 5' }), ...fired });
    expect(d.skip?.reason).toBe('WhenFalse');
  });

  it('when with an expression over cronworkflow.* (lastScheduledTime nil before the first run)', () => {
    const when = '{{= cronworkflow.lastScheduledTime == nil || cronworkflow.name == "nightly" && cronworkflow.labels.team == "data" }}';
    expect(look({ cron: cron({ when }), ...fired }).create).toBeDefined();
    const since = '{{= (now() - cronworkflow.lastScheduledTime).Seconds() > 0 }}';
    expect(look({ cron: cron({ when: since }, { lastScheduledTime: '2023-12-31T10:00:00Z' }), ...fired }).create).toBeDefined();
  });

  it('a when that fails to evaluate is a spec error', () => {
    const d = look({ cron: cron({ when: '{{cronworkflow.lastScheduledTime}} > 1' }), ...fired });
    expect(d.skip?.reason).toBe('Error');
    expect(d.status.conditions?.[0]).toMatchObject({ type: 'SpecError', status: 'True' });
  });

  it('Forbid while a run is active', () => {
    const d = look({
      cron: cron({ concurrencyPolicy: 'Forbid' }, { active: [{ name: 'nightly-1', uid: 'nightly-1-uid' }] }),
      workflows: [run('nightly-1', 'Running')],
      ...fired,
    });
    expect(d.skip?.reason).toBe('ConcurrencyForbidden');
    expect(d.skip?.message).toMatch(/nightly-1/);
  });

  it('Forbid runs once the active run finished', () => {
    const d = look({
      cron: cron({ concurrencyPolicy: 'Forbid' }, { active: [{ name: 'nightly-1', uid: 'nightly-1-uid' }] }),
      workflows: [run('nightly-1', 'Succeeded', '2024-01-01T09:59:00Z')],
      ...fired,
    });
    expect(d.create).toBeDefined();
    expect(d.status.active).toEqual([]);
    expect(d.status.succeeded).toBe(1);
  });

  it('Replace stops the active runs and creates the new one', () => {
    const d = look({ cron: cron({ concurrencyPolicy: 'Replace' }), workflows: [run('nightly-1', 'Running'), run('nightly-2', 'Pending')], ...fired });
    expect(d.stop.map((r) => r.name)).toEqual(['nightly-1', 'nightly-2']);
    expect(d.create).toBeDefined();
  });

  it('Replace stops nothing when `when` is false', () => {
    const d = look({ cron: cron({ concurrencyPolicy: 'Replace', when: 'false' }), workflows: [run('nightly-1', 'Running')], ...fired });
    expect(d.stop).toEqual([]);
    expect(d.skip?.reason).toBe('WhenFalse');
  });
});

describe('stopStrategy', () => {
  it('stops once the expression holds over the counters', () => {
    const d = look({
      cron: cron({ stopStrategy: { expression: 'cronworkflow.succeeded >= 2' } }, { succeeded: 1, active: [{ name: 'nightly-2', uid: 'nightly-2-uid' }] }),
      workflows: [run('nightly-2', 'Succeeded', '2024-01-01T09:59:00Z')],
      now: T('2024-01-01T10:00:00Z'),
      firedFor: T('2024-01-01T10:00:00Z'),
    });
    expect(d.status.succeeded).toBe(2);
    expect(d.status.phase).toBe('Stopped');
    expect(d.labels).toEqual({ 'workflows.argoproj.io/cron-workflow-completed': 'true' });
    expect(d.skip?.reason).toBe('Stopped');
    expect(d.nextRunAt).toBeUndefined();
  });

  it('counts failures and errors as failed, and accepts the v3.6.0 `condition` name', () => {
    const d = look({
      cron: cron({ stopStrategy: { condition: 'cronworkflow.failed > 1' } }, { active: [{ name: 'a' }, { name: 'b' }, { name: 'gone' }] }),
      workflows: [run('a', 'Failed', '2024-01-01T09:00:00Z'), run('b', 'Error', '2024-01-01T09:01:00Z')],
    });
    expect(d.status).toMatchObject({ failed: 2, phase: 'Stopped', active: [] });
    expect(d.status.succeeded).toBeUndefined();
  });
});

describe('status and retention', () => {
  it('keeps active as the owned runs that have not finished, in creation order', () => {
    const a = run('nightly-b', 'Running', undefined, 'b');
    a.metadata.creationTimestamp = '2024-01-01T09:02:00Z';
    const b = run('nightly-a', undefined, undefined, 'a');
    b.metadata.creationTimestamp = '2024-01-01T09:01:00Z';
    const d = look({ cron: cron(), workflows: [a, b, run('nightly-c', 'Succeeded', '2024-01-01T09:00:00Z')] });
    expect(d.status.active?.map((r) => r.name)).toEqual(['nightly-a', 'nightly-b']);
    expect(d.status.succeeded).toBeUndefined();
  });

  it('deletes the oldest finished runs beyond the limits (3 succeeded, 1 failed by default)', () => {
    const workflows = [
      run('s1', 'Succeeded', '2024-01-01T01:00:00Z'),
      run('s2', 'Succeeded', '2024-01-01T02:00:00Z'),
      run('s3', 'Succeeded', '2024-01-01T03:00:00Z'),
      run('s4', 'Succeeded', '2024-01-01T04:00:00Z'),
      run('s5', 'Succeeded', '2024-01-01T05:00:00Z'),
      run('f1', 'Failed', '2024-01-01T01:30:00Z'),
      run('f2', 'Error', '2024-01-01T02:30:00Z'),
      run('r1', 'Running'),
    ];
    expect(look({ cron: cron(), workflows }).delete.map((r) => r.name)).toEqual(['s2', 's1', 'f1']);
    const limited = look({ cron: cron({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 }), workflows });
    expect(limited.delete.map((r) => r.name)).toEqual(['s5', 's4', 's3', 's2', 's1']);
  });
});

describe('time zones and spec errors', () => {
  it('schedules in the timezone field; the annotation and name are in UTC', () => {
    const d = look({
      cron: cron({ schedules: ['0 9 * * *'], timezone: 'America/New_York' }),
      now: T('2024-03-10T13:00:00Z'),
      firedFor: T('2024-03-10T13:00:00Z'),
    });
    expect(d.create?.metadata.annotations?.['workflows.argoproj.io/scheduled-time']).toBe('2024-03-10T13:00:00Z');
    expect(d.create?.metadata.name).toBe(`nightly-${Date.parse('2024-03-10T13:00:00Z') / 1000}`);
    expect(d.nextRunAt?.toISOString()).toBe('2024-03-11T13:00:00.000Z');
  });

  it.each([
    [{ schedules: ['0 * * * * *'] }, /expected exactly 5 fields, found 6/],
    [{ schedules: ['* * * * *'], schedule: '* * * * *' }, /'schedule' and 'schedules' cannot both be set/],
    [{ schedules: [] }, /at least one entry in 'schedules'/],
    [{ concurrencyPolicy: 'Sometimes' as 'Allow' }, /invalid concurrencyPolicy "Sometimes"/],
    [{ timezone: 'Mars/Olympus' }, /unknown time zone/],
  ])('%j is a SpecError and nothing is scheduled', (spec, message) => {
    const d = look({ cron: cron(spec), firedFor: T('2024-01-01T10:00:00Z') });
    expect(d.create).toBeUndefined();
    expect(d.nextRunAt).toBeUndefined();
    expect(d.status.conditions).toEqual([{ type: 'SpecError', status: 'True', message: expect.stringMatching(message) }]);
  });

  it('clears a SpecError once the spec is fixed', () => {
    const d = look({ cron: cron({}, { conditions: [{ type: 'SpecError', status: 'True', message: 'old' }] }) });
    expect(d.status.conditions).toBeUndefined();
  });
});

describe('@every', () => {
  it('lays its grid from the last run, else from the creation time', () => {
    const fresh = look({ cron: cron({ schedules: ['@every 7m'] }), now: T('2024-01-01T00:20:00Z') });
    expect(fresh.nextRunAt?.toISOString()).toBe('2024-01-01T00:21:00.000Z');
    const ran = look({ cron: cron({ schedules: ['@every 7m'] }, { lastScheduledTime: '2024-01-01T00:15:00Z' }), now: T('2024-01-01T00:20:00Z') });
    expect(ran.nextRunAt?.toISOString()).toBe('2024-01-01T00:22:00.000Z');
    const fired = look({
      cron: cron({ schedules: ['@every 7m'] }, { lastScheduledTime: '2024-01-01T00:15:00Z' }),
      now: T('2024-01-01T00:22:00Z'),
      firedFor: T('2024-01-01T00:22:00Z'),
    });
    expect(fired.create?.metadata.name).toBe(`nightly-${Date.parse('2024-01-01T00:22:00Z') / 1000}`);
  });
});
