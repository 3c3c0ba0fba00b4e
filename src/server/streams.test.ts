// The streaming endpoints over a real socket: watch (workflow-events) and logs, in both of Argo's
// framings, read as raw bytes so that the framing itself is what is tested.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../spec/types.js';
import { listen } from './server.js';
import { call, conforms, eventually } from './test-helpers/api.js';
import { scriptedWorkflow, startStack, type Stack } from './test-helpers/stack.js';

/** The raw text of a streaming response, as it arrives. */
class RawStream {
  text = '';
  ended = false;
  private readonly reading: Promise<void>;

  constructor(readonly response: Response) {
    const body = response.body;
    if (!body) throw new Error('no body');
    const decoder = new TextDecoder();
    this.reading = (async () => {
      try {
        for await (const chunk of body) this.text += decoder.decode(chunk as Uint8Array, { stream: true });
      } catch {
        // aborted by the test
      }
      this.ended = true;
    })();
  }

  /** SSE frames: the JSON of each `data: ` line. */
  sseMessages(): { result?: { type?: string; object?: Workflow; content?: string; podName?: string } }[] {
    // A keepalive comment (`:`) may share a block with the frame after it: read data lines, not blocks.
    return this.text
      .split('\n\n')
      .flatMap((block) => block.split('\n').filter((line) => line.startsWith('data: ')))
      .map((line) => JSON.parse(line.slice('data: '.length)) as ReturnType<RawStream['sseMessages']>[number]);
  }

  ndjsonMessages(): { result?: { type?: string; object?: Workflow; content?: string; podName?: string } }[] {
    return this.text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ReturnType<RawStream['ndjsonMessages']>[number]);
  }

  async until(check: (s: RawStream) => boolean, timeoutMs = 10_000): Promise<void> {
    await eventually(async () => this, check, timeoutMs);
  }

  async done(): Promise<void> {
    await this.reading;
  }
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

async function open(path: string, sse: boolean): Promise<RawStream> {
  const abort = new AbortController();
  aborts.push(abort);
  const response = await fetch(`${base}${path}`, { headers: sse ? { Accept: 'text/event-stream' } : {}, signal: abort.signal });
  return new RawStream(response);
}

const submit = async (wf: Workflow): Promise<void> => {
  const res = await call(s.app, 'POST', `/api/v1/workflows/${wf.metadata.namespace ?? 'default'}`, { workflow: wf });
  expect(res.status, res.text).toBe(200);
};

describe('GET /api/v1/workflow-events/{namespace} (watch)', () => {
  it('SSE: headers at once, existing workflows as ADDED, then changes, each frame `data: {"result":…} \\n\\n`, keepalives', async () => {
    await submit(scriptedWorkflow('before', 'say hi'));
    await s.waitFor('default', 'before');
    const stream = await open('/api/v1/workflow-events/default', true);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.response.headers.get('x-content-type-options')).toBe('nosniff');
    await stream.until((r) => r.sseMessages().length >= 1);
    const [first] = stream.sseMessages();
    expect(first?.result?.type).toBe('ADDED');
    expect(first?.result?.object?.metadata.name).toBe('before');
    expect(first?.result?.object?.status?.nodes).toBeDefined();

    await submit(scriptedWorkflow('after', 'say hi'));
    await s.waitFor('default', 'after');
    await call(s.app, 'DELETE', '/api/v1/workflows/default/after');
    await stream.until((r) => r.sseMessages().some((m) => m.result?.type === 'DELETED'));
    await stream.until((r) => r.text.includes(':\n'));

    const events = stream.sseMessages().map((m) => `${m.result?.type} ${m.result?.object?.metadata.name} ${m.result?.object?.status?.phase}`);
    expect(events[0]).toBe('ADDED before Succeeded');
    expect(events[1]).toBe('ADDED after Pending');
    expect(events).toContain('MODIFIED after Succeeded');
    expect(events.at(-1)).toMatch(/^DELETED after/);
    for (const m of stream.sseMessages()) conforms(m.result, 'WorkflowWatchEvent');

    // Every non-keepalive chunk is exactly one frame in Argo's framing.
    const frames = stream.text.replace(/^:\n/gm, '').split(/(?<=\n\n)/);
    for (const frame of frames.filter((f) => f !== '')) expect(frame).toMatch(/^data: \{"result":\{"type":"(ADDED|MODIFIED|DELETED)","object":\{.*\}\}\} \n\n$/);
  });

  it('NDJSON without Accept: text/event-stream: one {"result":…} per line, no keepalives', async () => {
    await submit(scriptedWorkflow('nd', 'say hi'));
    await s.waitFor('default', 'nd');
    const stream = await open('/api/v1/workflow-events/default', false);
    expect(stream.response.headers.get('content-type')).toBe('application/json');
    await stream.until((r) => r.ndjsonMessages().length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(stream.text.split('\n').filter((l) => l.startsWith(':'))).toEqual([]);
    expect(stream.text.endsWith('}\n')).toBe(true);
    expect(stream.ndjsonMessages()[0]?.result?.type).toBe('ADDED');
  });

  it('from a list\'s resourceVersion, sends only what changed after it', async () => {
    await submit(scriptedWorkflow('old', 'say hi'));
    await s.waitFor('default', 'old');
    const list = await call<{ metadata: { resourceVersion: string } }>(s.app, 'GET', '/api/v1/workflows/default');
    const stream = await open(`/api/v1/workflow-events/default?listOptions.resourceVersion=${list.body.metadata.resourceVersion}`, true);
    await submit(scriptedWorkflow('new', 'say hi'));
    await s.waitFor('default', 'new');
    await stream.until((r) => r.sseMessages().some((m) => m.result?.object?.status?.phase === 'Succeeded'));
    expect(stream.sseMessages().every((m) => m.result?.object?.metadata.name === 'new')).toBe(true);
  });

  it('watches one workflow by field selector (also @latest), and every namespace at /workflow-events/', async () => {
    await submit(scriptedWorkflow('other', 'say hi'));
    await submit({ ...scriptedWorkflow('elsewhere', 'say hi'), metadata: { name: 'elsewhere', namespace: 'team' } });
    await s.waitFor('default', 'other');
    await s.waitFor('team', 'elsewhere');
    await new Promise((r) => setTimeout(r, 1100)); // whole-second creation times order @latest
    await submit(scriptedWorkflow('mine', 'hold'));
    await eventually(async () => s.runtime.heldPods(), (p) => p.length === 1);

    const byName = await open(`/api/v1/workflow-events/default?listOptions.fieldSelector=${encodeURIComponent('metadata.name=mine')}`, true);
    const latest = await open(`/api/v1/workflow-events/default?listOptions.fieldSelector=${encodeURIComponent('metadata.name=@latest')}`, true);
    const everywhere = await open('/api/v1/workflow-events/', true);
    s.runtime.release('mine');
    await s.waitFor('default', 'mine');
    for (const stream of [byName, latest]) {
      await stream.until((r) => r.sseMessages().some((m) => m.result?.object?.status?.phase === 'Succeeded'));
      expect(new Set(stream.sseMessages().map((m) => m.result?.object?.metadata.name))).toEqual(new Set(['mine']));
    }
    await everywhere.until((r) => r.sseMessages().some((m) => m.result?.object?.status?.phase === 'Succeeded'));
    expect(new Set(everywhere.sseMessages().map((m) => m.result?.object?.metadata.namespace))).toEqual(new Set(['default', 'team']));
  });

  it('projects events with fields= on result.* paths', async () => {
    await submit(scriptedWorkflow('slim', 'say hi'));
    await s.waitFor('default', 'slim');
    const stream = await open('/api/v1/workflow-events/default?fields=result.type,result.object.metadata.name,result.object.status.phase', true);
    await stream.until((r) => r.sseMessages().length >= 1);
    expect(stream.sseMessages()[0]).toEqual({ result: { type: 'ADDED', object: { metadata: { name: 'slim' }, status: { phase: 'Succeeded' } } } });
  });

  it('refuses a bad selector with a plain 400 before streaming', async () => {
    const res = await fetch(`${base}/api/v1/workflow-events/default?listOptions.labelSelector=${encodeURIComponent('a in (')}`, { headers: { Accept: 'text/event-stream' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 3 });
  });

  it('ends open watches when the server closes', async () => {
    const stream = await open('/api/v1/workflow-events/default', true);
    await stream.until((r) => r.text.includes(':\n'));
    await s.app.close();
    await stream.done();
    expect(stream.ended).toBe(true);
  });
});

describe('GET /api/v1/workflows/{namespace}/{name}/log', () => {
  it('streams log entries as NDJSON and ends, filtered by grep and podName', async () => {
    await submit(scriptedWorkflow('talk', 'say hello; say world; say hello again'));
    await s.waitFor('default', 'talk');
    const all = await call(s.app, 'GET', '/api/v1/workflows/default/talk/log?logOptions.container=main');
    expect(all.status).toBe(200);
    expect(all.text).toBe(
      ['hello', 'world', 'hello again'].map((content) => `${JSON.stringify({ result: { content, podName: 'talk' } })}\n`).join(''),
    );
    for (const line of all.text.trim().split('\n')) conforms((JSON.parse(line) as { result: unknown }).result, 'LogEntry');
    const grep = await call(s.app, 'GET', '/api/v1/workflows/default/talk/log?grep=hello');
    expect(grep.text.trim().split('\n')).toHaveLength(2);
    const otherPod = await call(s.app, 'GET', '/api/v1/workflows/default/talk/log?podName=nope');
    expect(otherPod.text).toBe('');
    const perPod = await call(s.app, 'GET', '/api/v1/workflows/default/talk/talk/log?grep=world');
    expect(perPod.text).toBe(`${JSON.stringify({ result: { content: 'world', podName: 'talk' } })}\n`);
  });

  it('answers 404 before streaming for a missing workflow', async () => {
    const res = await call<{ code: number }>(s.app, 'GET', '/api/v1/workflows/default/ghost/log', undefined, { accept: 'text/event-stream' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(5);
  });

  it('follows over SSE until the workflow ends', async () => {
    await submit(scriptedWorkflow('tail', 'say first; say second; hold'));
    await eventually(async () => s.runtime.heldPods(), (p) => p.length === 1);
    const stream = await open('/api/v1/workflows/default/tail/log?logOptions.follow=true', true);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
    await stream.until((r) => r.sseMessages().length === 2);
    expect(stream.ended).toBe(false);
    s.runtime.release('tail');
    await stream.done();
    expect(stream.sseMessages().map((m) => m.result)).toEqual([
      { content: 'first', podName: 'tail' },
      { content: 'second', podName: 'tail' },
    ]);
    expect(stream.text).toContain('data: {"result":{"content":"first","podName":"tail"}} \n\n');
  });
});
