// Controller workflowDefaults (features.md §1.18): merged under every submitted workflow, the
// workflow's own values winning, and in effect (a defaulted TTL deletes, a defaulted deadline fails).
import { afterEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/spec/types.js';
import { getWf, NS, removeLogDirs, single, startHarness, until, type Harness } from './harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

const defaults: Partial<Workflow> = {
  metadata: { labels: { team: 'platform', env: 'dev' }, annotations: { owner: 'ops' } },
  spec: {
    ttlStrategy: { secondsAfterCompletion: 1 },
    activeDeadlineSeconds: 1,
    serviceAccountName: 'default-sa',
    podGC: { strategy: 'OnPodCompletion' },
  },
};

describe('workflowDefaults', () => {
  it('are merged under a submitted workflow: its own values win, missing ones come from the defaults', async () => {
    const h = await startHarness({ workflowDefaults: defaults });
    open.push(h);
    const wf = single('own-values', 'exit 0', { activeDeadlineSeconds: 600, ttlStrategy: { secondsAfterSuccess: 3600 } });
    wf.metadata.labels = { env: 'prod' };
    const created = await h.controller.submit(wf);
    expect(created.metadata.labels).toMatchObject({ team: 'platform', env: 'prod' });
    expect(created.metadata.annotations).toEqual({ owner: 'ops' });
    expect(created.spec.activeDeadlineSeconds).toBe(600);
    expect(created.spec.serviceAccountName).toBe('default-sa');
    expect(created.spec.podGC).toEqual({ strategy: 'OnPodCompletion' });
    // Objects merge key by key: the workflow's secondsAfterSuccess beside the default's secondsAfterCompletion.
    expect(created.spec.ttlStrategy).toEqual({ secondsAfterCompletion: 1, secondsAfterSuccess: 3600 });
    expect(created.spec.templates).toEqual(wf.spec.templates);
    // The submitted object is not changed, nor are the defaults.
    expect(wf.spec.serviceAccountName).toBeUndefined();
    expect(defaults.metadata?.labels).toEqual({ team: 'platform', env: 'dev' });

    // Stored as merged, and in effect: it succeeds (its own deadline is long) and its own
    // secondsAfterSuccess keeps it past the defaulted secondsAfterCompletion.
    expect((await h.controller.waitFor(NS, 'own-values')).status?.phase).toBe('Succeeded');
    const stored = await getWf(h, 'own-values');
    expect(stored?.metadata.labels).toMatchObject({ team: 'platform', env: 'prod', 'workflows.argoproj.io/phase': 'Succeeded' });
    expect(h.runtime.cleaned).toContain('own-values');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await getWf(h, 'own-values')).toBeDefined();
  });

  it('a defaulted ttlStrategy deletes the workflow; a defaulted activeDeadlineSeconds ends it', async () => {
    const h = await startHarness({ workflowDefaults: defaults });
    open.push(h);
    const created = await h.controller.submit(single('defaulted', 'hold'));
    expect(created.metadata.labels).toMatchObject({ team: 'platform', env: 'dev' });
    expect(created.spec.activeDeadlineSeconds).toBe(1);
    const done = await h.controller.waitFor(NS, 'defaulted');
    expect(done.status?.phase).toBe('Failed');
    expect(h.runtime.deleted.map((d) => d.pod)).toContain('defaulted');
    await until(async () => (await getWf(h, 'defaulted')) === undefined, 'defaulted TTL deletion', 3000);
  });

  it('without defaults a workflow is stored as submitted', async () => {
    const h = await startHarness();
    open.push(h);
    const created = await h.controller.submit(single('plain', 'exit 0'));
    expect(created.spec.ttlStrategy).toBeUndefined();
    expect(created.spec.activeDeadlineSeconds).toBeUndefined();
    expect(Object.keys(created.metadata.labels ?? {})).toEqual(['workflows.argoproj.io/phase']);
  });
});
