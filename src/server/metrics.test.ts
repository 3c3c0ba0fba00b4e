// /metrics: Argo's metric names in the Prometheus text format, fed by ControllerMetrics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControllerMetrics, metricFamilies } from './metrics.js';
import { formatMetrics } from './prometheus.js';
import { call, eventually } from './test-helpers/api.js';
import { scriptedWorkflow, startStack, type Stack } from './test-helpers/stack.js';
import { createMemoryStore } from '../store/memory/index.js';

describe('Prometheus text format', () => {
  it('writes gauges, counters and cumulative histograms with escaped labels', () => {
    const text = formatMetrics([
      { name: 'g', help: 'a gauge', type: 'gauge', samples: [{ labels: { phase: 'Running' }, value: 2 }, { labels: { q: 'say "hi"\\\n' }, value: 0.5 }] },
      { name: 'c', help: 'line\nbreak', type: 'counter', samples: [{ labels: {}, value: 3 }] },
      { name: 'h', help: 'durations', type: 'histogram', buckets: [0.1, 1], counts: [2, 1, 4], sum: 12.5 },
    ]);
    expect(text).toBe(
      [
        '# HELP g a gauge',
        '# TYPE g gauge',
        'g{phase="Running"} 2',
        'g{q="say \\"hi\\"\\\\\\n"} 0.5',
        '# HELP c line\\nbreak',
        '# TYPE c counter',
        'c 3',
        '# HELP h durations',
        '# TYPE h histogram',
        'h_bucket{le="0.1"} 2',
        'h_bucket{le="1"} 3',
        'h_bucket{le="+Inf"} 7',
        'h_sum 12.5',
        'h_count 7',
        '',
      ].join('\n'),
    );
  });
});

describe('ControllerMetrics', () => {
  it('observes reconcile durations into buckets', () => {
    const m = new ControllerMetrics({ store: createMemoryStore(), queueDepth: () => 4, buckets: [0.01, 0.1] });
    for (const d of [0.001, 0.01, 0.05, 3]) m.observeReconcile(d);
    const snap = m.snapshot();
    expect(snap.operationDurations).toEqual({ buckets: [0.01, 0.1], counts: [2, 1, 1], sum: 3.061 });
    expect(snap.queueDepth).toBe(4);
    expect(formatMetrics(metricFamilies(snap))).toContain('argo_workflows_operation_duration_seconds_bucket{le="0.1"} 3');
  });

  it('counts workflows that existed before it started, with their running pods', async () => {
    const store = createMemoryStore();
    const wf = scriptedWorkflow('old', 'hold');
    await store.workflows.create({ ...wf, status: { phase: 'Running', nodes: { old: { id: 'old', name: 'old', displayName: 'old', type: 'Pod', phase: 'Running' } } } });
    const m = new ControllerMetrics({ store, queueDepth: () => 0 });
    await m.start();
    const snap = m.snapshot();
    expect(snap.workflowsByPhase['Running']).toBe(1);
    expect(snap.podsByPhase['Running']).toBe(1);
    expect(snap.phaseEntries).toEqual([]);
    await store.workflows.delete('default', 'old');
    expect(m.snapshot().workflowsByPhase['Running']).toBe(0);
    m.stop();
  });
});

describe('GET /metrics', () => {
  let s: Stack;
  beforeEach(async () => {
    s = await startStack();
  });
  afterEach(async () => {
    await s.close();
  });

  const scrape = async (): Promise<string> => {
    const res = await s.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return res.body;
  };

  it('reports workflows and pods by phase, phase transitions, the queue depth and reconcile durations', async () => {
    await call(s.app, 'POST', '/api/v1/workflows/default', { workflow: scriptedWorkflow('ok', 'say hi') });
    await call(s.app, 'POST', '/api/v1/workflows/default', { workflow: scriptedWorkflow('bad', 'exit 2') });
    await call(s.app, 'POST', '/api/v1/workflows/default', { workflow: scriptedWorkflow('busy', 'hold') });
    await s.waitFor('default', 'ok');
    await s.waitFor('default', 'bad');
    await eventually(async () => s.runtime.heldPods(), (p) => p.length === 1);

    const text = await eventually(scrape, (t) => t.includes('argo_workflows_pods_gauge{phase="Running"} 1'));
    for (const line of [
      '# TYPE argo_workflows_gauge gauge',
      'argo_workflows_gauge{phase="Succeeded"} 1',
      'argo_workflows_gauge{phase="Failed"} 1',
      'argo_workflows_gauge{phase="Running"} 1',
      'argo_workflows_gauge{phase="Pending"} 0',
      'argo_workflows_gauge{phase="Error"} 0',
      'argo_workflows_pods_gauge{phase="Pending"} 0',
      'argo_workflows_queue_depth_gauge{queue_name="workflow_queue"} 0',
      '# TYPE argo_workflows_total_count counter',
      'argo_workflows_total_count{namespace="default",phase="Pending"} 3',
      'argo_workflows_total_count{namespace="default",phase="Succeeded"} 1',
      'argo_workflows_total_count{namespace="default",phase="Failed"} 1',
      '# TYPE argo_workflows_operation_duration_seconds histogram',
    ]) {
      expect(text.split('\n'), line).toContain(line);
    }
    expect(text).toMatch(/argo_workflows_total_count\{namespace="default",phase="Running"\} 3/);
    // Every reconcile the controller ran is in the histogram, and all are in +Inf.
    const count = Number(/argo_workflows_operation_duration_seconds_count (\d+)/.exec(text)?.[1]);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`argo_workflows_operation_duration_seconds_bucket{le="+Inf"} ${count}`);
  });
});
