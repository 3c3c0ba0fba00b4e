// GET /api/v1/stream/events/{namespace}: the controller's events as core/v1 Events, existing ones
// first, then new ones as they are recorded, filtered by Argo's UI's field selector.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen } from './server.js';
import { call, conforms, eventually } from './test-helpers/api.js';
import { scriptedWorkflow, startStack, type Stack } from './test-helpers/stack.js';

interface CoreEvent {
  metadata: { name: string; namespace: string };
  involvedObject: { kind: string; name: string; namespace: string };
  reason: string;
  message: string;
  count: number;
  type: string;
}

let s: Stack;
let base: string;
const aborts: AbortController[] = [];

beforeEach(async () => {
  s = await startStack({ keepaliveMs: 50 });
  base = (await listen(s.app, { port: 0 })).url;
});
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await s.close();
});

/** Opens an SSE stream and collects its `result`s as they arrive. */
async function openEvents(path: string): Promise<{ status: number; results: CoreEvent[]; text: () => string }> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(`${base}${path}`, { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
  let text = '';
  const results: CoreEvent[] = [];
  if (res.ok && res.body) {
    const body = res.body;
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of body) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          const blocks = text.split('\n\n');
          text = blocks.pop() ?? '';
          for (const line of blocks.flatMap((b) => b.split('\n'))) {
            if (line.startsWith('data: ')) results.push((JSON.parse(line.slice(6)) as { result: CoreEvent }).result);
          }
        }
      } catch {
        // aborted by the test
      }
    })();
  }
  return { status: res.status, results, text: () => text };
}

const submit = async (name: string, script: string, namespace = 'default'): Promise<void> => {
  const wf = scriptedWorkflow(name, script);
  wf.metadata.namespace = namespace;
  const res = await call(s.app, 'POST', `/api/v1/workflows/${namespace}`, { workflow: wf });
  expect(res.status, res.text).toBe(200);
};

describe('GET /api/v1/stream/events/{namespace}', () => {
  it('sends the existing events of one workflow first, then new ones, as core/v1 Events', async () => {
    await submit('done', 'say hi');
    await submit('other', 'say hi');
    await s.waitFor('default', 'done');
    await s.waitFor('default', 'other');
    await submit('later', 'sleep 3000');

    const stream = await openEvents('/api/v1/stream/events/default?listOptions.fieldSelector=involvedObject.kind=Workflow,involvedObject.name=done');
    expect(stream.status).toBe(200);
    await eventually(async () => stream.results, (r) => r.some((e) => e.reason === 'WorkflowSucceeded'));
    expect(stream.results.every((e) => e.involvedObject.name === 'done' && e.involvedObject.kind === 'Workflow')).toBe(true);
    expect(stream.results[0]?.reason).toBe('WorkflowRunning');
    for (const e of stream.results) conforms(e, 'io.k8s.api.core.v1.Event');
    const names = stream.results.map((e) => e.metadata.name);
    expect(new Set(names).size).toBe(names.length);

    // Followed: an event recorded after the stream opened arrives on it.
    const live = await openEvents('/api/v1/stream/events/default?listOptions.fieldSelector=involvedObject.name=later');
    await eventually(async () => live.results, (r) => r.some((e) => e.reason === 'WorkflowRunning'));
    expect(live.results.some((e) => e.reason === 'WorkflowSucceeded')).toBe(false);
    await eventually(async () => live.results, (r) => r.some((e) => e.reason === 'WorkflowSucceeded'), 15_000);
  });

  it('streams every namespace at /stream/events/, honours != terms, and rejects fields events do not have', async () => {
    await submit('here', 'say hi');
    await submit('there', 'say hi', 'team');
    await s.waitFor('default', 'here');
    await s.waitFor('team', 'there');
    const all = await openEvents('/api/v1/stream/events/');
    await eventually(async () => all.results, (r) => r.some((e) => e.involvedObject.name === 'here') && r.some((e) => e.involvedObject.name === 'there'));
    const team = await openEvents('/api/v1/stream/events/team?listOptions.fieldSelector=reason!=WorkflowRunning');
    await eventually(async () => team.results, (r) => r.some((e) => e.reason === 'WorkflowSucceeded'));
    expect(team.results.every((e) => e.metadata.namespace === 'team' && e.reason !== 'WorkflowRunning')).toBe(true);

    const bad = await call(s.app, 'GET', '/api/v1/stream/events/default?listOptions.fieldSelector=spec.color=red');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('spec.color');
  });
});
