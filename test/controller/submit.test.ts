// Submitting: a generated name that collides with an existing workflow is drawn again (as
// Kubernetes does for generateName), an explicit one is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory/index.js';
import { ConflictError } from '../../src/store/types.js';
import { removeLogDirs, single, startHarness, type Harness } from './harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

describe('Controller.submit', () => {
  it('draws another name when a generated one is taken, and refuses a taken explicit name', async () => {
    const store = createMemoryStore();
    const create = store.workflows.create.bind(store.workflows);
    let collisions = 2;
    const tried: string[] = [];
    store.workflows.create = async (wf) => {
      tried.push(wf.metadata.name ?? '');
      if (wf.metadata.generateName && collisions-- > 0) throw new ConflictError('Workflow', `default/${wf.metadata.name ?? ''}`);
      return create(wf);
    };
    const h = await startHarness({ store });
    open.push(h);
    const generated = single('x', 'exit 0');
    generated.metadata = { generateName: 'gen-', namespace: 'default' };
    const created = await h.controller.submit(generated);
    expect(tried).toHaveLength(3);
    expect(new Set(tried).size).toBe(3);
    expect(created.metadata.name).toBe(tried[2]);
    expect(created.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    await h.controller.submit(single('fixed', 'exit 0'));
    await expect(h.controller.submit(single('fixed', 'exit 0'))).rejects.toBeInstanceOf(ConflictError);
  });
});
