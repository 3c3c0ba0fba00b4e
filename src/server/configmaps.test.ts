// argot's own ConfigMap endpoint (Argo has none): CRUD through the store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../spec/types.js';
import { call } from './test-helpers/api.js';
import { startStack, type Stack } from './test-helpers/stack.js';

type ErrorBody = { code: number; message: string };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

const base = '/api/v1/configmaps';
const cm = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('/api/v1/configmaps', () => {
  it('create, get, list, update and delete', async () => {
    const created = await call<ConfigMap>(s.app, 'POST', `${base}/default`, { namespace: 'default', configMap: cm('limits', { workflow: '2' }) });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'default' }, data: { workflow: '2' } });
    expect(await s.store.configMaps.get('default', 'limits')).toMatchObject({ data: { workflow: '2' } });

    const { apiVersion: _a, kind: _k, ...bare } = cm('bare', {});
    expect((await call(s.app, 'POST', `${base}/default`, { configMap: bare })).status).toBe(200);

    expect((await call<ConfigMap>(s.app, 'GET', `${base}/default/limits`)).body).toEqual(created.body);
    const listed = await call<{ items: ConfigMap[]; metadata: object }>(s.app, 'GET', `${base}/default`);
    expect(listed.body.items.map((c) => c.metadata.name).sort()).toEqual(['bare', 'limits']);
    expect((await call<{ items: ConfigMap[] }>(s.app, 'GET', `${base}/`)).body.items).toHaveLength(2);

    const updated = await call<ConfigMap>(s.app, 'PUT', `${base}/default/limits`, { namespace: 'default', name: 'limits', configMap: { ...created.body, data: { workflow: '3' } } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.data).toEqual({ workflow: '3' });
    expect((await call(s.app, 'PUT', `${base}/default/limits`, { configMap: created.body })).status).toBe(409);

    expect((await call(s.app, 'DELETE', `${base}/default/limits`)).body).toEqual({});
    expect((await call(s.app, 'GET', `${base}/default/limits`)).status).toBe(404);
    expect((await call(s.app, 'DELETE', `${base}/default/limits`)).status).toBe(404);
  });

  it('refuses non-string data, a missing name and a duplicate', async () => {
    const numbers = await call<ErrorBody>(s.app, 'POST', `${base}/default`, { configMap: { metadata: { name: 'n' }, data: { limit: 2 } } });
    expect(numbers.status).toBe(400);
    expect(numbers.body.message).toContain('configMap.data.limit');
    expect((await call(s.app, 'POST', `${base}/default`, { configMap: { metadata: {} } })).status).toBe(400);
    await call(s.app, 'POST', `${base}/default`, { configMap: cm('x', {}) });
    expect((await call(s.app, 'POST', `${base}/default`, { configMap: cm('x', {}) })).status).toBe(409);
    expect((await call(s.app, 'POST', `${base}/default/lint`, { configMap: cm('x', {}) })).status).toBe(404);
  });
});
