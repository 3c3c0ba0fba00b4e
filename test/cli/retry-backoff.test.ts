import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';
import { argot, freshHome } from './cli.js';

describe('retry backoff, real processes', () => {
  it('starts attempts about 0, 1 and 3 s after the first (duration 1s, factor 2), then Succeeds', async () => {
    const r = await argot(['run', 'examples/retries.yaml', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const wf = JSON.parse(r.stdout) as Workflow;
    const nodes = wf.status?.nodes ?? {};
    const retry = Object.values(nodes).find((n) => n.type === 'Retry') as NodeStatus;
    const attempts = (retry.children ?? []).map((id) => nodes[id] as NodeStatus);
    expect(attempts.map((a) => a.phase)).toEqual(['Failed', 'Failed', 'Succeeded']);
    const t0 = Date.parse(attempts[0]!.startedAt!);
    const offsets = attempts.map((a) => (Date.parse(a.startedAt!) - t0) / 1000);
    // Node timestamps have one-second precision, as Argo's: each wait is at least its backoff and
    // at most a second more (generous upper bound, not a speed claim).
    expect(offsets[1]).toBeGreaterThanOrEqual(1);
    expect(offsets[1]).toBeLessThanOrEqual(2);
    expect(offsets[2]! - offsets[1]!).toBeGreaterThanOrEqual(2);
    expect(offsets[2]! - offsets[1]!).toBeLessThanOrEqual(3);
  });

  it('says "No more retries left" after the limit', async () => {
    const home = freshHome();
    const file = join(home, 'always-fails.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: always-fails-}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2, backoff: {duration: 1s, factor: 2}}
    container: {image: alpine, command: [sh, -c, "exit 1"]}
`,
    );
    const r = await argot(['run', file, '-o', 'json'], { home });
    expect(r.code).toBe(1);
    const wf = JSON.parse(r.stdout) as Workflow;
    const retry = Object.values(wf.status?.nodes ?? {}).find((n) => n.type === 'Retry');
    expect(retry).toMatchObject({ phase: 'Failed', message: 'No more retries left' });
    expect(retry?.children).toHaveLength(3);
    expect(wf.status?.phase).toBe('Failed');
  });
});
