import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, ArgoClient, ServerUnavailableError, type WorkflowWatchEvent } from '../../src/cli/client/index.js';
import { FakeArgoServer } from './fake-server.js';
import { until, workflow } from './harness.js';

let fake: FakeArgoServer;
let client: ArgoClient;

beforeEach(async () => {
  fake = await new FakeArgoServer().start();
  client = new ArgoClient({ server: fake.url });
});
afterEach(async () => {
  await fake.stop();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ArgoClient requests', () => {
  it('builds the list query from listOptions, fields and the name prefix', async () => {
    await client.workflows.list('argo', {
      labelSelector: 'a=b',
      fieldSelector: 'metadata.namespace=argo',
      limit: 5,
      continue: 'tok',
      fields: 'items.metadata.name',
      namePrefix: 'hello-',
    });
    const req = fake.last('GET', '/api/v1/workflows/argo');
    expect(req?.query).toEqual({
      'listOptions.labelSelector': 'a=b',
      'listOptions.fieldSelector': 'metadata.namespace=argo',
      'listOptions.limit': '5',
      'listOptions.continue': 'tok',
      fields: 'items.metadata.name',
      nameFilter: 'Prefix',
      namePrefix: 'hello-',
    });
  });

  it('lists all namespaces with an empty namespace segment, and turns items:null into []', async () => {
    const list = await client.workflows.list('');
    expect(fake.calls()).toEqual(['GET /api/v1/workflows/']);
    expect(list.items).toEqual([]);
  });

  it('encodes path segments, so a name cannot reach another path', async () => {
    await expect(client.workflows.get('default', 'a/b?c')).rejects.toBeInstanceOf(ApiError);
    expect(fake.requests[0]?.path).toBe('/api/v1/workflows/default/a%2Fb%3Fc');
  });

  it('sends bodies as the swagger defines them', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Failed' }));
    await client.workflows.retry('default', 'w', { restartSuccessful: true, nodeFieldSelector: 'phase=Failed', parameters: ['a=1'] });
    expect(fake.last('PUT', '/api/v1/workflows/default/w/retry')?.body).toEqual({
      namespace: 'default',
      name: 'w',
      restartSuccessful: true,
      nodeFieldSelector: 'phase=Failed',
      parameters: ['a=1'],
    });
    await client.workflows.set('default', 'w', { nodeFieldSelector: 'displayName=approve', phase: 'Succeeded', outputParameters: { ok: 'yes' } });
    expect(fake.last('PUT', '/api/v1/workflows/default/w/set')?.body).toEqual({
      namespace: 'default',
      name: 'w',
      nodeFieldSelector: 'displayName=approve',
      phase: 'Succeeded',
      outputParameters: '{"ok":"yes"}',
    });
  });

  it('accepts Argo-style host:port and base paths', async () => {
    const bare = new ArgoClient({ server: fake.url.replace('http://', '') });
    expect((await bare.version()).version).toBe('v3.6.0-fake');
    const based = new ArgoClient({ server: `${fake.url}/argo/` });
    await expect(based.version()).rejects.toBeInstanceOf(ApiError);
    expect(fake.requests.at(-1)?.path).toBe('/argo/api/v1/version');
  });

  it('sends the token as a Bearer header, and Bearer/Basic values as they are', async () => {
    await new ArgoClient({ server: fake.url, token: 'abc' }).info();
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer abc');
    await new ArgoClient({ server: fake.url, token: 'Bearer xyz' }).userInfo();
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer xyz');
    await client.version();
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined();
  });
});

describe('ArgoClient errors', () => {
  it("maps grpc-gateway's {code, message} to ApiError", async () => {
    const err = (await client.workflows.get('default', 'nope').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect({ status: err.status, code: err.code, reason: err.reason, message: err.message, notFound: err.notFound }).toEqual({
      status: 404,
      code: 5,
      reason: 'NotFound',
      message: 'workflows.argoproj.io "nope" not found',
      notFound: true,
    });
    expect(err.resource).toEqual({ kind: 'workflow', name: 'nope', namespace: 'default' });
    expect(err.operation).toBe('get');
  });

  it('derives the code from the status when the body is not JSON', async () => {
    fake.failOnce('GET', /version/, 503, '<html>Service Unavailable</html>');
    const err = (await client.version().catch((e: unknown) => e)) as ApiError;
    expect({ status: err.status, code: err.code, message: err.message }).toEqual({ status: 503, code: 14, message: '<html>Service Unavailable</html>' });
  });

  it('reports connection refused as ServerUnavailableError', async () => {
    const port = await closedPort();
    const down = new ArgoClient({ server: `http://127.0.0.1:${port}` });
    const err = (await down.workflows.list('default').catch((e: unknown) => e)) as ServerUnavailableError;
    expect(err).toBeInstanceOf(ServerUnavailableError);
    expect(err.reason).toBe('ECONNREFUSED');
    expect(err.message).toBe(`cannot reach the server at http://127.0.0.1:${port} (connection refused)`);
  });

  it('reports a server that never answers as unavailable after the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = new ArgoClient({ server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
      await expect(slow.version()).rejects.toBeInstanceOf(ServerUnavailableError);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('turns an error frame inside a stream into ApiError', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('data: {"error":{"grpc_code":7,"http_code":403,"message":"denied","http_status":"Forbidden"}} \n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const c = new ArgoClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const err = await (async () => {
        for await (const _ of c.workflows.watch('default', {}, { retries: 0 })) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(403);
      expect((err as ApiError).message).toBe('denied');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('ArgoClient streams', () => {
  it('watches with SSE and reconnects when the connection drops', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    fake.dropNextWatchAfter = 1;
    const abort = new AbortController();
    const seen: WorkflowWatchEvent[] = [];
    const reconnects: number[] = [];
    let connects = 0;
    const done = (async () => {
      for await (const event of client.workflows.watch(
        'default',
        { fieldSelector: 'metadata.name=w' },
        { signal: abort.signal, retryDelayMs: 10, onReconnect: (n) => reconnects.push(n), onConnect: () => void connects++ },
      )) {
        seen.push(event);
        if (event.object.status?.phase === 'Succeeded') abort.abort();
      }
    })();
    await until(() => fake.watchConnections === 2 && fake.watchers.size === 1);
    fake.keepalive();
    fake.putWorkflow(workflow('w', { phase: 'Succeeded' }));
    await done;
    expect(seen.map((e) => `${e.type} ${e.object.status?.phase}`)).toEqual(['ADDED Running', 'ADDED Running', 'MODIFIED Succeeded']);
    expect(reconnects).toEqual([1]);
    expect(connects).toBe(2);
    expect(fake.requests.find((r) => r.path === '/api/v1/workflow-events/default')?.headers.accept).toBe('text/event-stream');
    expect(fake.requests.find((r) => r.path === '/api/v1/workflow-events/default')?.query).toEqual({ 'listOptions.fieldSelector': 'metadata.name=w' });
  });

  it('gives up after the configured retries when the server stays down', async () => {
    const port = await closedPort();
    const down = new ArgoClient({ server: `http://127.0.0.1:${port}` });
    const attempts: number[] = [];
    const err = await (async () => {
      for await (const _ of down.workflows.watch('default', {}, { retries: 2, retryDelayMs: 1, onReconnect: (n) => attempts.push(n) })) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerUnavailableError);
    expect(attempts).toEqual([1, 2]);
  });

  it('treats a silent connection as dead after the idle timeout', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    const abort = new AbortController();
    const reconnects: number[] = [];
    const done = (async () => {
      for await (const _ of client.workflows.watch('default', {}, { signal: abort.signal, idleTimeoutMs: 100, retryDelayMs: 1, onReconnect: (n) => reconnects.push(n) })) void _;
    })();
    await until(() => fake.watchConnections >= 2);
    abort.abort();
    await done;
    expect(reconnects.length).toBeGreaterThanOrEqual(1);
  });

  it('reads logs as SSE or NDJSON, with the log options in the query', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Succeeded' }));
    fake.appendLogs('default', 'w', [
      { podName: 'w-main-1', content: 'one' },
      { podName: 'w-main-1', content: 'two' },
    ]);
    const read = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const e of client.workflows.logs('default', 'w', { podName: 'w-main-1', container: 'init', tailLines: 10, sinceSeconds: 60, timestamps: true, grep: 'o' })) out.push(`${e.podName}: ${e.content}`);
      return out;
    };
    expect(await read()).toEqual(['w-main-1: one', 'w-main-1: two']);
    fake.logsAsNdjson = true;
    expect(await read()).toEqual(['w-main-1: one', 'w-main-1: two']);
    expect(fake.last('GET', '/api/v1/workflows/default/w/log')?.query).toEqual({
      podName: 'w-main-1',
      'logOptions.container': 'init',
      'logOptions.sinceSeconds': '60',
      'logOptions.timestamps': 'true',
      'logOptions.tailLines': '10',
      grep: 'o',
    });
  });
});
