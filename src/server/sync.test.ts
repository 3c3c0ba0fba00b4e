// SyncService (`/api/v1/sync/...`): semaphore limits as keys of ConfigMaps in the store, in Argo's
// request and response shapes; database limits answer Unimplemented.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigMap } from '../spec/types.js';
import { ConflictError } from '../store/types.js';
import { call, conforms } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

type ErrorBody = { code: number; message: string };
type Limit = { namespace: string; key: string; limit: number; type: string; cmName: string };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

const base = '/api/v1/sync';
const cm = (name: string, data: Record<string, string>, namespace = 'default'): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const limitsCm = () => s.store.configMaps.get('default', 'limits');

/** A 4xx/5xx in grpc-gateway's error shape, with this code and a message matching `message`. */
async function expectError(reply: Promise<{ status: number; body: ErrorBody; text: string }>, status: number, code: number, message: RegExp | string): Promise<void> {
  const r = await reply;
  expect(r.status, r.text).toBe(status);
  expect(r.body.code).toBe(code);
  if (typeof message === 'string') expect(r.body.message).toBe(message);
  else expect(r.body.message).toMatch(message);
  conforms(r.body, 'grpc.gateway.runtime.Error');
}

const create = (body: unknown, namespace = 'default') => call<Limit>(s.app, 'POST', `${base}/${namespace}`, body);
const createError = (body: unknown, namespace = 'default') => call<ErrorBody>(s.app, 'POST', `${base}/${namespace}`, body);

describe('POST /api/v1/sync/{namespace}', () => {
  it('creates the ConfigMap when it is absent, with the limit as a string', async () => {
    const r = await create({ namespace: 'default', key: 'workflow', limit: 3, type: 'CONFIGMAP', cmName: 'limits' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ namespace: 'default', key: 'workflow', limit: 3, type: 'CONFIGMAP', cmName: 'limits' });
    conforms(r.body, 'sync.SyncLimitResponse');
    expect(await limitsCm()).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'default' }, data: { workflow: '3' } });
  });

  it('adds the key to an existing ConfigMap, keeping what else it holds', async () => {
    await s.store.configMaps.create(cm('limits', { other: '1', color: 'blue' }));
    const r = await create({ key: 'template', limit: 0, cmName: 'limits' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ namespace: 'default', key: 'template', limit: 0, type: 'CONFIGMAP', cmName: 'limits' });
    expect((await limitsCm())?.data).toEqual({ other: '1', color: 'blue', template: '0' });
  });

  it("reads bodies as Argo's clients write them: defaults left out, type by number, limit as a string", async () => {
    // proto3 JSON omits zero values: `argo sync create k --limit 0` sends no limit, and CONFIGMAP is 0.
    expect((await create({ key: 'a', cmName: 'limits' })).body).toMatchObject({ limit: 0, type: 'CONFIGMAP' });
    expect((await create({ key: 'b', cmName: 'limits', type: 0, limit: '4' })).body).toMatchObject({ limit: 4, type: 'CONFIGMAP' });
    expect((await create({ key: 'c', cmName: 'limits', limit: null, type: null, namespace: null })).body).toMatchObject({ limit: 0, namespace: 'default' });
    expect((await limitsCm())?.data).toEqual({ a: '0', b: '4', c: '0' });
  });

  it("takes the body's namespace when the path has none, and refuses a contradiction", async () => {
    const r = await call<Limit>(s.app, 'POST', `${base}/`, { namespace: 'argo', key: 'k', limit: 2, cmName: 'limits' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.namespace).toBe('argo');
    expect(await s.store.configMaps.get('argo', 'limits')).toMatchObject({ data: { k: '2' } });
    await expectError(call(s.app, 'POST', `${base}/`, { key: 'k', limit: 2, cmName: 'limits' }), 400, 3, 'no namespace: expected /api/v1/sync/{namespace} or "namespace" in the body');
    await expectError(createError({ namespace: 'argo', key: 'k', limit: 2, cmName: 'limits' }), 400, 3, 'the namespace of the body (argo) does not match the namespace in the path (default)');
  });

  it('refuses a key that already has a limit (409, AlreadyExists), leaving it unchanged', async () => {
    await s.store.configMaps.create(cm('limits', { workflow: '2' }));
    await expectError(createError({ key: 'workflow', limit: 5, cmName: 'limits' }), 409, 6, 'key "workflow" already exists in ConfigMap default/limits (limit "2"); change it with update');
    expect((await limitsCm())?.data).toEqual({ workflow: '2' });
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    ['abc', '"abc"'],
    ['-3', '"-3"'],
    [true, 'true'],
    [2_147_483_648, '2147483648'],
    [{ n: 1 }, '{"n":1}'],
  ])('refuses limit %j with a message naming the field, the value and what is expected', async (limit, shown) => {
    await expectError(createError({ key: 'k', limit, cmName: 'limits' }), 400, 3, `"limit" is ${shown}: expected a non-negative integer (0 to 2147483647)`);
    expect(await limitsCm()).toBeUndefined();
  });

  it('requires a key and a ConfigMap name, and checks both as Kubernetes would', async () => {
    await expectError(createError({ limit: 1, cmName: 'limits' }), 400, 3, /^the request body has no "key"/);
    await expectError(createError({ key: '', limit: 1, cmName: 'limits' }), 400, 3, /^the request body has no "key"/);
    await expectError(createError({ key: 'a/b', limit: 1, cmName: 'limits' }), 400, 3, /^"key" is "a\/b": expected a ConfigMap data key/);
    await expectError(createError({ key: 7, limit: 1, cmName: 'limits' }), 400, 3, '"key" is 7: expected a string');
    await expectError(createError({ key: 'k', limit: 1 }), 400, 3, '"cmName" in the body is missing: a CONFIGMAP limit needs the name of its ConfigMap');
    await expectError(createError({ key: 'k', limit: 1, cmName: 'My_Limits' }), 400, 3, /^"cmName" is "My_Limits": expected a ConfigMap name/);
    expect(await s.store.configMaps.list()).toMatchObject({ items: [] });
  });

  it('refuses a missing or non-object body and an unknown type', async () => {
    await expectError(createError(undefined), 400, 3, /^the request body is missing: expected a CreateSyncLimitRequest/);
    await expectError(call(s.app, 'POST', `${base}/default`, [1, 2]), 400, 3, /^the request body must be a JSON object/);
    await expectError(createError({ key: 'k', limit: 1, cmName: 'limits', type: 'REDIS' }), 400, 3, '"type" is "REDIS": expected CONFIGMAP or DATABASE');
    await expectError(createError({ key: 'k', limit: 1, cmName: 'limits', type: 'configmap' }), 400, 3, /expected CONFIGMAP or DATABASE/);
  });

  it('answers database limits with Unimplemented (501)', async () => {
    for (const type of ['DATABASE', 1]) {
      await expectError(createError({ key: 'k', limit: 1, type }), 501, 12, /^database semaphores are not configured on this server/);
    }
  });

  it('lets concurrent creates of different keys of one ConfigMap all land (retrying on a stale version)', async () => {
    // Reads that take a while: every request reads the same version, so all but one write conflict.
    const configMaps = s.store.configMaps;
    const read = configMaps.get.bind(configMaps);
    const slowRead = vi.spyOn(configMaps, 'get').mockImplementation(async (namespace, name) => {
      const found = await read(namespace, name);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return found;
    });
    const update = vi.spyOn(configMaps, 'update');
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const replies = await Promise.all(keys.map((key, i) => create({ key, limit: i, cmName: 'limits' })));
    expect(replies.map((r) => r.status)).toEqual(keys.map(() => 200));
    expect((await limitsCm())?.data).toEqual({ a: '0', b: '1', c: '2', d: '3', e: '4', f: '5' });
    expect(update.mock.results.filter((r) => r.type === 'return').length).toBeGreaterThan(keys.length - 1);
    await expect(Promise.allSettled(update.mock.results.map((r) => r.value))).resolves.toContainEqual(expect.objectContaining({ status: 'rejected' }));
    slowRead.mockRestore();
  });

  it('gives up with Unavailable (503) when the ConfigMap keeps changing', async () => {
    await s.store.configMaps.create(cm('limits', {}));
    vi.spyOn(s.store.configMaps, 'update').mockRejectedValue(new ConflictError('ConfigMap', 'default/limits', 'stale resourceVersion'));
    await expectError(createError({ key: 'k', limit: 1, cmName: 'limits' }), 503, 14, 'the ConfigMap kept changing under 10 attempts to write it; try again');
  });
});

describe('GET /api/v1/sync/{namespace}/{key}', () => {
  beforeEach(async () => {
    await s.store.configMaps.create(cm('limits', { workflow: '2', zero: '0', bad: 'two', negative: '-1' }));
  });

  it('reads the limit (type defaults to CONFIGMAP)', async () => {
    for (const url of [`${base}/default/workflow?type=CONFIGMAP&cmName=limits`, `${base}/default/workflow?cmName=limits`]) {
      const r = await call<Limit>(s.app, 'GET', url);
      expect(r.status, r.text).toBe(200);
      expect(r.body).toEqual({ namespace: 'default', key: 'workflow', limit: 2, type: 'CONFIGMAP', cmName: 'limits' });
      conforms(r.body, 'sync.SyncLimitResponse');
    }
    expect((await call<Limit>(s.app, 'GET', `${base}/default/zero?cmName=limits`)).body.limit).toBe(0);
  });

  it('is 404 for a missing key or ConfigMap', async () => {
    await expectError(call(s.app, 'GET', `${base}/default/nope?cmName=limits`), 404, 5, 'key "nope" not found in ConfigMap default/limits');
    await expectError(call(s.app, 'GET', `${base}/default/workflow?cmName=absent`), 404, 5, 'ConfigMap default/absent not found (create the limit first)');
    await expectError(call(s.app, 'GET', `${base}/other/workflow?cmName=limits`), 404, 5, 'ConfigMap other/limits not found (create the limit first)');
  });

  it('says when the stored value is not a limit', async () => {
    await expectError(call(s.app, 'GET', `${base}/default/bad?cmName=limits`), 400, 9, /^key "bad" of ConfigMap default\/limits holds "two", which is not a limit \(expected an integer from 0 to 2147483647\)/);
    await expectError(call(s.app, 'GET', `${base}/default/negative?cmName=limits`), 400, 9, /holds "-1", which is not a limit/);
  });

  it('requires cmName, refuses unknown types and answers database limits with 501', async () => {
    await expectError(call(s.app, 'GET', `${base}/default/workflow`), 400, 3, 'query parameter "cmName" is missing: a CONFIGMAP limit needs the name of its ConfigMap');
    await expectError(call(s.app, 'GET', `${base}/default/workflow?type=NOPE&cmName=limits`), 400, 3, 'query parameter "type" is "NOPE": expected CONFIGMAP or DATABASE');
    await expectError(call(s.app, 'GET', `${base}/default/workflow?type=DATABASE`), 501, 12, /^database semaphores are not configured/);
  });
});

describe('PUT /api/v1/sync/{namespace}/{key}', () => {
  beforeEach(async () => {
    await s.store.configMaps.create(cm('limits', { workflow: '2', other: '9' }));
  });

  const put = (key: string, body: unknown) => call<ErrorBody & Limit>(s.app, 'PUT', `${base}/default/${key}`, body);

  it('changes the limit and nothing else', async () => {
    const r = await put('workflow', { namespace: 'default', key: 'workflow', limit: 5, type: 'CONFIGMAP', cmName: 'limits' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ namespace: 'default', key: 'workflow', limit: 5, type: 'CONFIGMAP', cmName: 'limits' });
    conforms(r.body, 'sync.SyncLimitResponse');
    expect((await limitsCm())?.data).toEqual({ workflow: '5', other: '9' });
    // The key may be left out of the body: the path names it. A missing limit is proto3's 0.
    expect((await put('workflow', { cmName: 'limits' })).body).toMatchObject({ key: 'workflow', limit: 0 });
    expect((await limitsCm())?.data).toEqual({ workflow: '0', other: '9' });
  });

  it('is 404 for a missing key or ConfigMap, creating nothing', async () => {
    await expectError(put('nope', { limit: 1, cmName: 'limits' }), 404, 5, 'key "nope" not found in ConfigMap default/limits');
    await expectError(put('workflow', { limit: 1, cmName: 'absent' }), 404, 5, 'ConfigMap default/absent not found (create the limit first)');
    expect((await limitsCm())?.data).toEqual({ workflow: '2', other: '9' });
    expect(await s.store.configMaps.get('default', 'absent')).toBeUndefined();
  });

  it('refuses a bad limit, a missing cmName, a key or namespace that contradicts the path, and no body', async () => {
    await expectError(put('workflow', { limit: -2, cmName: 'limits' }), 400, 3, '"limit" is -2: expected a non-negative integer (0 to 2147483647)');
    await expectError(put('workflow', { limit: 1 }), 400, 3, '"cmName" in the body is missing: a CONFIGMAP limit needs the name of its ConfigMap');
    await expectError(put('workflow', { key: 'other', limit: 1, cmName: 'limits' }), 400, 3, 'the key of the body (other) does not match the key in the path (workflow)');
    await expectError(put('workflow', { namespace: 'argo', limit: 1, cmName: 'limits' }), 400, 3, 'the namespace of the body (argo) does not match the namespace in the path (default)');
    await expectError(put('workflow', undefined), 400, 3, /^the request body is missing: expected an UpdateSyncLimitRequest/);
    expect((await limitsCm())?.data).toEqual({ workflow: '2', other: '9' });
  });

  it('answers database limits with 501', async () => {
    await expectError(put('workflow', { limit: 1, type: 'DATABASE' }), 501, 12, /^database semaphores are not configured/);
  });
});

describe('DELETE /api/v1/sync/{namespace}/{key}', () => {
  beforeEach(async () => {
    await s.store.configMaps.create(cm('limits', { workflow: '2', other: '9' }));
  });

  it('removes the key and keeps the ConfigMap with its other keys', async () => {
    const r = await call(s.app, 'DELETE', `${base}/default/workflow?type=CONFIGMAP&cmName=limits`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({});
    conforms(r.body, 'sync.DeleteSyncLimitResponse');
    expect((await limitsCm())?.data).toEqual({ other: '9' });
    await call(s.app, 'DELETE', `${base}/default/other?cmName=limits`);
    expect(await limitsCm()).toMatchObject({ metadata: { name: 'limits' }, data: {} });
  });

  it('is 404 for a missing key or ConfigMap', async () => {
    await call(s.app, 'DELETE', `${base}/default/workflow?cmName=limits`);
    await expectError(call(s.app, 'DELETE', `${base}/default/workflow?cmName=limits`), 404, 5, 'key "workflow" not found in ConfigMap default/limits');
    await expectError(call(s.app, 'DELETE', `${base}/default/workflow?cmName=absent`), 404, 5, 'ConfigMap default/absent not found (create the limit first)');
  });

  it('requires cmName, refuses unknown types and answers database limits with 501', async () => {
    await expectError(call(s.app, 'DELETE', `${base}/default/workflow`), 400, 3, /^query parameter "cmName" is missing/);
    await expectError(call(s.app, 'DELETE', `${base}/default/workflow?type=x&cmName=limits`), 400, 3, 'query parameter "type" is "x": expected CONFIGMAP or DATABASE');
    await expectError(call(s.app, 'DELETE', `${base}/default/workflow?type=DATABASE`), 501, 12, /^database semaphores are not configured/);
    expect((await limitsCm())?.data).toEqual({ workflow: '2', other: '9' });
  });
});

describe('a round trip', () => {
  it('create, get, update, get, delete, get', async () => {
    const q = '?type=CONFIGMAP&cmName=limits';
    expect((await create({ namespace: 'default', key: 'k', limit: 1, type: 'CONFIGMAP', cmName: 'limits' })).status).toBe(200);
    expect((await call<Limit>(s.app, 'GET', `${base}/default/k${q}`)).body.limit).toBe(1);
    expect((await call<Limit>(s.app, 'PUT', `${base}/default/k`, { namespace: 'default', key: 'k', limit: 7, type: 'CONFIGMAP', cmName: 'limits' })).body.limit).toBe(7);
    expect((await call<Limit>(s.app, 'GET', `${base}/default/k${q}`)).body.limit).toBe(7);
    expect((await call(s.app, 'DELETE', `${base}/default/k${q}`)).status).toBe(200);
    expect((await call(s.app, 'GET', `${base}/default/k${q}`)).status).toBe(404);
  });
});

describe('GET /api/v1/sync-locks (argot)', () => {
  const held = (name: string, priority = 0) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default' },
    spec: { entrypoint: 'main', priority, synchronization: { mutexes: [{ name: 'm' }] }, templates: [{ name: 'main', container: { image: 'fake', args: ['hold'] } }] },
  });

  it('shows who holds each lock and who waits for it, in queue order', async () => {
    for (const [name, priority] of [['first', 0], ['low', 0], ['high', 5]] as const) {
      const r = await call(s.app, 'POST', '/api/v1/workflows/default', { workflow: held(name, priority) });
      expect(r.status, r.text).toBe(200);
    }
    let body: { items: { name: string; type: string; limit?: number; holders: string[]; waiting: { holder: string; priority: number }[] }[] } = { items: [] };
    for (let i = 0; i < 100 && (body.items[0]?.waiting.length ?? 0) < 2; i++) {
      body = (await call<typeof body>(s.app, 'GET', '/api/v1/sync-locks/default')).body;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ name: 'default/Mutex/m', type: 'mutex', limit: 1, holders: ['default/first'] });
    expect(body.items[0]?.waiting.map((w) => [w.holder, w.priority])).toEqual([
      ['default/high', 5],
      ['default/low', 0],
    ]);
    expect((await call<typeof body>(s.app, 'GET', '/api/v1/sync-locks/other')).body.items).toEqual([]);
    expect((await call<typeof body>(s.app, 'GET', '/api/v1/sync-locks')).body.items).toHaveLength(1);
  });
});
