import { afterEach, describe, expect, it } from 'vitest';
import type { CronWorkflow, CronWorkflowSpec, Workflow, WorkflowPhase } from '../spec/types.js';
import { createMemoryStore } from '../store/memory/index.js';
import type { ObjectStore, Store } from '../store/types.js';
import { CronScheduler, systemClock, type Clock } from './scheduler.js';
import { readStatus } from './status.js';

/** A clock whose timers run only when the test advances it. */
class FakeClock implements Clock {
  private t: number;
  private timers: { at: number; fn: () => void }[] = [];

  constructor(start: string) {
    this.t = Date.parse(start);
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(at: Date, fn: () => void): () => void {
    const timer = { at: at.getTime(), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Runs the timers due up to `to` in time order, letting `settle` finish the work each one starts. */
  async advanceTo(to: string, settle: () => Promise<void>): Promise<void> {
    const end = Date.parse(to);
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }

  /** Moves time on without running any timer: the process was not there to see it. */
  jump(to: string): void {
    this.t = Date.parse(to);
  }
}

const unix = (iso: string): number => Date.parse(iso) / 1000;

interface Harness {
  clock: FakeClock;
  store: Store;
  scheduler: CronScheduler;
  stopped: string[];
  warnings: string[];
  start(): Promise<void>;
  /** A new scheduler over the same store, as after a controller restart. */
  restart(options?: { cronWorkflows?: ObjectStore<CronWorkflow> }): Promise<void>;
  advanceTo(iso: string): Promise<void>;
  runs(): Promise<Workflow[]>;
  finish(name: string, phase: WorkflowPhase): Promise<void>;
  cron(): Promise<CronWorkflow>;
  update(spec: Partial<CronWorkflowSpec>): Promise<void>;
}

const schedulers: CronScheduler[] = [];
afterEach(() => {
  for (const s of schedulers.splice(0)) s.stop();
});

async function harness(spec: Partial<CronWorkflowSpec>, start = '2024-01-01T00:00:30Z'): Promise<Harness> {
  const clock = new FakeClock(start);
  const store = createMemoryStore({ now: () => clock.now() });
  const stopped: string[] = [];
  const warnings: string[] = [];
  await store.cronWorkflows.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name: 'tick', namespace: 'argo' },
    spec: { schedules: ['* * * * *'], workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] }, ...spec },
  });

  const setPhase = async (name: string, phase: WorkflowPhase): Promise<void> => {
    const wf = await store.workflows.get('argo', name);
    if (!wf) throw new Error(`no workflow ${name}`);
    await store.workflows.update({ ...wf, status: { ...wf.status, phase, finishedAt: clock.now().toISOString() } });
  };

  const make = (cronWorkflows: ObjectStore<CronWorkflow> = store.cronWorkflows): CronScheduler => {
    const s = new CronScheduler({
      store: { cronWorkflows, workflows: store.workflows },
      // As the controller's submit: stored, then Running.
      submit: async (wf) => store.workflows.create({ ...wf, status: { phase: 'Running', startedAt: clock.now().toISOString() } }),
      stopWorkflow: async (ns, name) => {
        stopped.push(name);
        // Not h.finish: that waits for the scheduler, which is waiting for this.
        await setPhase(name, 'Failed');
      },
      clock,
      log: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(`error: ${m}`) },
      defaultTimezone: 'UTC',
    });
    schedulers.push(s);
    return s;
  };

  const h: Harness = {
    clock,
    store,
    scheduler: make(),
    stopped,
    warnings,
    async start() {
      await h.scheduler.start();
      await h.scheduler.idle();
    },
    async restart(options) {
      h.scheduler.stop();
      h.scheduler = make(options?.cronWorkflows);
      await h.start();
    },
    advanceTo: (iso) => clock.advanceTo(iso, () => h.scheduler.idle()),
    async runs() {
      const { items } = await store.workflows.list({ namespace: 'argo', labelSelector: 'workflows.argoproj.io/cron-workflow=tick' });
      return items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    },
    async finish(name, phase) {
      await setPhase(name, phase);
      await h.scheduler.idle();
    },
    async cron() {
      const c = await store.cronWorkflows.get('argo', 'tick');
      if (!c) throw new Error('no cron workflow');
      return c;
    },
    async update(change) {
      const c = await h.cron();
      await store.cronWorkflows.update({ ...c, spec: { ...c.spec, ...change } });
      await h.scheduler.idle();
    },
  };
  return h;
}

const names = async (h: Harness): Promise<string[]> => (await h.runs()).map((w) => w.metadata.name ?? '');
const runName = (iso: string): string => `tick-${unix(iso)}`;

describe('CronScheduler', () => {
  it('creates exactly one workflow per minute, named after its scheduled time', async () => {
    const h = await harness({});
    await h.start();
    expect(h.scheduler.nextRunAt('argo', 'tick')?.toISOString()).toBe('2024-01-01T00:01:00.000Z');
    await h.advanceTo('2024-01-01T00:05:30Z');
    expect(await names(h)).toEqual([
      runName('2024-01-01T00:01:00Z'),
      runName('2024-01-01T00:02:00Z'),
      runName('2024-01-01T00:03:00Z'),
      runName('2024-01-01T00:04:00Z'),
      runName('2024-01-01T00:05:00Z'),
    ]);
    const [first] = await h.runs();
    expect(first?.metadata.annotations?.['workflows.argoproj.io/scheduled-time']).toBe('2024-01-01T00:01:00Z');
    expect((first?.metadata as { ownerReferences?: unknown }).ownerReferences).toEqual([
      expect.objectContaining({ kind: 'CronWorkflow', name: 'tick', uid: (await h.cron()).metadata.uid, controller: true }),
    ]);
    const status = readStatus(await h.cron());
    expect(status.lastScheduledTime).toBe('2024-01-01T00:05:00Z');
    expect(status.phase).toBe('Active');
    expect(status.active?.map((r) => r.name)).toEqual((await names(h)).slice());
    expect(h.warnings).toEqual([]);
  });

  it('Forbid skips while a run is active and runs again once it finished', async () => {
    const h = await harness({ concurrencyPolicy: 'Forbid' });
    await h.start();
    await h.advanceTo('2024-01-01T00:02:30Z');
    expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z')]);
    await h.finish(runName('2024-01-01T00:01:00Z'), 'Succeeded');
    expect(readStatus(await h.cron())).toMatchObject({ active: [], succeeded: 1 });
    await h.advanceTo('2024-01-01T00:03:30Z');
    expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:03:00Z')]);
    // 00:02, skipped while 00:01 ran, is no news when it comes up again.
    expect(h.warnings).toEqual([]);
  });

  it('Replace stops the active run and starts the new one', async () => {
    const h = await harness({ concurrencyPolicy: 'Replace' });
    await h.start();
    await h.advanceTo('2024-01-01T00:02:30Z');
    expect(h.stopped).toEqual([runName('2024-01-01T00:01:00Z')]);
    const runs = await h.runs();
    expect(runs.map((w) => [w.metadata.name, w.status?.phase])).toEqual([
      [runName('2024-01-01T00:01:00Z'), 'Failed'],
      [runName('2024-01-01T00:02:00Z'), 'Running'],
    ]);
    expect(readStatus(await h.cron())).toMatchObject({ active: [{ name: runName('2024-01-01T00:02:00Z') }], failed: 1 });
  });

  it('a look that comes in when a timer is due but has not called back is that timer firing', async () => {
    const h = await harness({});
    await h.start();
    h.clock.jump('2024-01-01T00:01:00.002Z');
    // Any change makes a look: here, a label on the cron workflow.
    const c = await h.cron();
    await h.store.cronWorkflows.update({ ...c, metadata: { ...c.metadata, labels: { touched: 'yes' } } });
    await h.scheduler.idle();
    expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z')]);
    await h.advanceTo('2024-01-01T00:01:30Z');
    expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z')]);
    expect(h.scheduler.nextRunAt('argo', 'tick')?.toISOString()).toBe('2024-01-01T00:02:00.000Z');
  });

  describe('a controller outage of 10 minutes', () => {
    it('runs only the latest missed time within startingDeadlineSeconds, then carries on', async () => {
      const h = await harness({ startingDeadlineSeconds: 60 });
      await h.start();
      await h.advanceTo('2024-01-01T00:01:30Z');
      h.scheduler.stop();
      h.clock.jump('2024-01-01T00:11:30Z');
      await h.restart();
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:11:00Z')]);
      await h.advanceTo('2024-01-01T00:12:30Z');
      expect((await names(h)).at(-1)).toBe(runName('2024-01-01T00:12:00Z'));
    });

    it('runs none outside the deadline, and warns', async () => {
      const h = await harness({ startingDeadlineSeconds: 20 });
      await h.start();
      await h.advanceTo('2024-01-01T00:01:30Z');
      h.scheduler.stop();
      h.clock.jump('2024-01-01T00:11:30Z');
      await h.restart();
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z')]);
      expect(h.warnings.join('\n')).toMatch(/missed the run scheduled for 2024-01-01T00:11:00.000Z/);
      await h.advanceTo('2024-01-01T00:12:30Z');
      expect((await names(h)).at(-1)).toBe(runName('2024-01-01T00:12:00Z'));
    });

    it('treats a timer that fires 10 minutes late the same way', async () => {
      const h = await harness({ startingDeadlineSeconds: 60 });
      await h.start();
      await h.advanceTo('2024-01-01T00:01:30Z');
      h.clock.jump('2024-01-01T00:11:30Z');
      await h.advanceTo('2024-01-01T00:11:30Z');
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:11:00Z')]);
    });
  });

  it('schedules in the timezone, across a DST change', async () => {
    const h = await harness({ schedules: ['0 9 * * *'], timezone: 'America/New_York' }, '2024-03-08T12:00:00Z');
    await h.start();
    await h.advanceTo('2024-03-11T00:00:00Z');
    // 09:00 EST is 14:00Z; from 2024-03-10, 09:00 EDT is 13:00Z.
    expect(await names(h)).toEqual([runName('2024-03-08T14:00:00Z'), runName('2024-03-09T14:00:00Z'), runName('2024-03-10T13:00:00Z')]);
  });

  it('runs every schedule of `schedules`, once for a time two of them share', async () => {
    const h = await harness({ schedules: ['*/2 * * * *', '*/3 * * * *'] });
    await h.start();
    await h.advanceTo('2024-01-01T00:06:30Z');
    expect(await names(h)).toEqual(['00:02', '00:03', '00:04', '00:06'].map((m) => runName(`2024-01-01T${m}:00Z`)));
  });

  it('suspend: nothing runs until resumed', async () => {
    const h = await harness({ suspend: true });
    await h.start();
    expect(h.scheduler.nextRunAt('argo', 'tick')).toBeUndefined();
    await h.advanceTo('2024-01-01T00:03:30Z');
    expect(await names(h)).toEqual([]);
    await h.update({ suspend: false });
    await h.advanceTo('2024-01-01T00:04:30Z');
    expect(await names(h)).toEqual([runName('2024-01-01T00:04:00Z')]);
  });

  it('when false skips', async () => {
    const h = await harness({ when: '{{cronworkflow.failed}} > 0' });
    await h.start();
    await h.advanceTo('2024-01-01T00:03:30Z');
    expect(await names(h)).toEqual([]);
    expect(readStatus(await h.cron()).lastScheduledTime).toBeUndefined();
  });

  it('stopStrategy: stops (phase Stopped) once it holds, and runs no more', async () => {
    const h = await harness({ stopStrategy: { expression: 'cronworkflow.succeeded >= 2' } });
    await h.start();
    await h.advanceTo('2024-01-01T00:01:30Z');
    await h.finish(runName('2024-01-01T00:01:00Z'), 'Succeeded');
    await h.advanceTo('2024-01-01T00:02:30Z');
    await h.finish(runName('2024-01-01T00:02:00Z'), 'Succeeded');
    const cron = await h.cron();
    expect(readStatus(cron)).toMatchObject({ phase: 'Stopped', succeeded: 2, active: [] });
    expect(cron.metadata.labels?.['workflows.argoproj.io/cron-workflow-completed']).toBe('true');
    expect(h.scheduler.nextRunAt('argo', 'tick')).toBeUndefined();
    await h.advanceTo('2024-01-01T00:06:30Z');
    expect(await names(h)).toHaveLength(2);
  });

  it('history limits delete the oldest finished runs', async () => {
    const h = await harness({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    await h.start();
    const minutes = ['00:01', '00:02', '00:03', '00:04', '00:05', '00:06'];
    for (const [i, m] of minutes.entries()) {
      await h.advanceTo(`2024-01-01T${m}:30Z`);
      await h.finish(runName(`2024-01-01T${m}:00Z`), i < 4 ? 'Succeeded' : 'Failed');
    }
    expect(await names(h)).toEqual([runName('2024-01-01T00:03:00Z'), runName('2024-01-01T00:04:00Z'), runName('2024-01-01T00:06:00Z')]);
    // The counters count runs, not the runs that are left.
    expect(readStatus(await h.cron())).toMatchObject({ succeeded: 4, failed: 2, active: [] });
  });

  describe('restarts', () => {
    it('a new scheduler at the same instant does not run the same time again', async () => {
      const h = await harness({ startingDeadlineSeconds: 300 });
      await h.start();
      await h.advanceTo('2024-01-01T00:01:00Z');
      await h.restart();
      await h.advanceTo('2024-01-01T00:02:00Z');
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:02:00Z')]);
    });

    it('a run created but not recorded before a crash is recorded, not created twice', async () => {
      const h = await harness({ startingDeadlineSeconds: 300 });
      await h.start();
      await h.advanceTo('2024-01-01T00:01:30Z');
      // The status write after the 00:02 run fails, as if the process died between the two.
      let failing = true;
      const real = h.store.cronWorkflows;
      const flaky: ObjectStore<CronWorkflow> = {
        create: (o) => real.create(o),
        get: (ns, n) => real.get(ns, n),
        list: (o) => real.list(o),
        delete: (ns, n) => real.delete(ns, n),
        watch: (l) => real.watch(l),
        update: async (o, v) => {
          if (failing) throw new Error('disk on fire');
          return real.update(o, v);
        },
      };
      await h.restart({ cronWorkflows: flaky });
      await h.advanceTo('2024-01-01T00:02:05Z');
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:02:00Z')]);
      expect(readStatus(await h.cron()).lastScheduledTime).toBe('2024-01-01T00:01:00Z');

      failing = false;
      await h.restart();
      expect(await names(h)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:02:00Z')]);
      const status = readStatus(await h.cron());
      expect(status.lastScheduledTime).toBe('2024-01-01T00:02:00Z');
      expect(status.active?.map((r) => r.name)).toEqual([runName('2024-01-01T00:01:00Z'), runName('2024-01-01T00:02:00Z')]);
      await h.advanceTo('2024-01-01T00:03:00Z');
      expect(await names(h)).toHaveLength(3);
    });
  });

  it('forgets a deleted cron workflow', async () => {
    const h = await harness({});
    await h.start();
    await h.store.cronWorkflows.delete('argo', 'tick');
    await h.scheduler.idle();
    expect(h.scheduler.nextRunAt('argo', 'tick')).toBeUndefined();
    await h.advanceTo('2024-01-01T00:03:30Z');
    expect(await names(h)).toEqual([]);
  });

  it('picks up a schedule change (without running its missed times) and a new cron workflow', async () => {
    const h = await harness({ startingDeadlineSeconds: 600, schedules: ['0 * * * *'] }, '2023-12-31T23:59:30Z');
    await h.start();
    await h.advanceTo('2024-01-01T00:07:00Z');
    await h.update({ schedules: ['*/5 * * * *'] });
    // 00:05 is within the deadline, but was never due under the schedule that was in force then.
    expect(await names(h)).toEqual([runName('2024-01-01T00:00:00Z')]);
    expect(h.scheduler.nextRunAt('argo', 'tick')?.toISOString()).toBe('2024-01-01T00:10:00.000Z');
    await h.advanceTo('2024-01-01T00:10:00Z');
    expect(await names(h)).toEqual([runName('2024-01-01T00:00:00Z'), runName('2024-01-01T00:10:00Z')]);
    await h.store.cronWorkflows.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name: 'other', namespace: 'argo' },
      spec: { schedules: ['@hourly'], workflowSpec: {} },
    });
    await h.scheduler.idle();
    expect(h.scheduler.nextRunAt('argo', 'other')?.toISOString()).toBe('2024-01-01T01:00:00.000Z');
    expect(h.warnings).toEqual([]);
  });
});

describe('systemClock', () => {
  it('calls back at (not before) the time, and not at all once cancelled', async () => {
    const at = new Date(Date.now() + 30);
    const fired = new Promise<number>((resolve) => systemClock.setTimer(at, () => resolve(Date.now())));
    let cancelledFired = false;
    const cancel = systemClock.setTimer(new Date(Date.now() + 10), () => {
      cancelledFired = true;
    });
    cancel();
    expect(await fired).toBeGreaterThanOrEqual(at.getTime());
    expect(cancelledFired).toBe(false);
  });
});
