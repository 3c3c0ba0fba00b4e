// `argot sync create|get|update|delete KEY` against argot's real server (in-process, on a port),
// plus the wire format against the fake Argo Server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../../src/server/server.js';
import { startStack, type Stack } from '../../src/server/test-helpers/stack.js';
import { FakeArgoServer } from './fake-server.js';
import { run } from './harness.js';

describe('argot sync, against argot server', () => {
  let s: Stack;
  let url: string;
  const argot = (...args: string[]) => run(args, { server: url });
  const limits = async (namespace = 'default') => (await s.store.configMaps.get(namespace, 'limits'))?.data;

  beforeEach(async () => {
    s = await startStack();
    ({ url } = await listen(s.app, { port: 0 }));
  });
  afterEach(async () => {
    await s.close();
  });

  it('create makes the ConfigMap and prints what it did', async () => {
    const r = await argot('sync', 'create', 'workflow', '--type', 'configmap', '--cm-name', 'limits', '--limit', '3');
    expect(r).toEqual({ code: 0, stdout: 'Sync limit "workflow" created in ConfigMap default/limits with limit 3\n', stderr: '' });
    expect(await limits()).toEqual({ workflow: '3' });
    // --type defaults to configmap, as the API's type does; -n picks the namespace.
    expect((await argot('sync', 'create', 'template', '--cm-name', 'limits', '--limit', '0', '-n', 'argo')).stdout).toBe(
      'Sync limit "template" created in ConfigMap argo/limits with limit 0\n',
    );
    expect(await limits('argo')).toEqual({ template: '0' });
  });

  it('get prints the limit', async () => {
    await argot('sync', 'create', 'workflow', '--cm-name', 'limits', '--limit', '3');
    const r = await argot('sync', 'get', 'workflow', '--type', 'CONFIGMAP', '--cm-name', 'limits');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(['Key:                 workflow', 'Namespace:           default', 'Type:                CONFIGMAP', 'ConfigMap:           limits', 'Limit:               3', ''].join('\n'));
  });

  it('update changes the limit', async () => {
    await argot('sync', 'create', 'workflow', '--cm-name', 'limits', '--limit', '3');
    const r = await argot('sync', 'update', 'workflow', '--type', 'configmap', '--cm-name', 'limits', '--limit', '5');
    expect(r).toEqual({ code: 0, stdout: 'Sync limit "workflow" in ConfigMap default/limits updated to 5\n', stderr: '' });
    expect(await limits()).toEqual({ workflow: '5' });
    expect((await argot('sync', 'get', 'workflow', '--cm-name', 'limits')).stdout).toContain('Limit:               5\n');
  });

  it('delete removes the key and leaves the ConfigMap', async () => {
    await argot('sync', 'create', 'workflow', '--cm-name', 'limits', '--limit', '3');
    await argot('sync', 'create', 'template', '--cm-name', 'limits', '--limit', '1');
    const r = await argot('sync', 'delete', 'workflow', '--type', 'configmap', '--cm-name', 'limits');
    expect(r).toEqual({ code: 0, stdout: 'Sync limit "workflow" deleted from ConfigMap default/limits\n', stderr: '' });
    expect(await limits()).toEqual({ template: '1' });
  });

  it("reports the server's refusals in one line, exit 1", async () => {
    await argot('sync', 'create', 'workflow', '--cm-name', 'limits', '--limit', '3');
    expect(await argot('sync', 'create', 'workflow', '--cm-name', 'limits', '--limit', '4')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'argot: cannot create sync limit "workflow": key "workflow" already exists in ConfigMap default/limits (limit "3"); change it with update\n',
    });
    expect(await argot('sync', 'get', 'nope', '--cm-name', 'limits')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'argot: cannot get sync limit "nope": key "nope" not found in ConfigMap default/limits\n',
    });
    expect((await argot('sync', 'update', 'nope', '--cm-name', 'limits', '--limit', '1')).stderr).toBe('argot: cannot update sync limit "nope": key "nope" not found in ConfigMap default/limits\n');
    expect((await argot('sync', 'delete', 'workflow', '--cm-name', 'absent')).stderr).toBe(
      'argot: cannot delete sync limit "workflow": ConfigMap default/absent not found (create the limit first)\n',
    );
    expect((await argot('sync', 'create', 'a/b', '--cm-name', 'limits', '--limit', '1')).stderr).toMatch(/^argot: cannot create sync limit "a\/b": "key" is "a\/b": expected a ConfigMap data key/);
    expect(await limits()).toEqual({ workflow: '3' });
  });

  it('locks shows each lock with its holders and its queue in order', async () => {
    expect((await argot('sync', 'locks')).stdout).toBe('No locks are held or awaited.\n');
    const wf = (name: string, priority: number) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name, namespace: 'default' },
      spec: { entrypoint: 'main', priority, synchronization: { mutexes: [{ name: 'm' }] }, templates: [{ name: 'main', container: { image: 'fake', args: ['hold'] } }] },
    });
    await s.controller.submit(wf('one', 0) as never);
    await s.controller.submit(wf('two', 0) as never);
    await s.controller.submit(wf('three', 2) as never);
    let out = '';
    for (let i = 0; i < 100 && !out.includes('2: '); i++) {
      out = (await argot('sync', 'locks')).stdout;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(out.split('\n')[0]).toMatch(/^LOCK\s+TYPE\s+LIMIT\s+HOLDERS\s+WAITING$/);
    expect(out.split('\n')[1]).toMatch(/^default\/Mutex\/m\s+mutex\s+1\s+default\/one\s+2: default\/three \(priority 2\), default\/two$/);
  });

  it('says database limits are not available here', async () => {
    for (const args of [
      ['create', 'k', '--limit', '1'],
      ['get', 'k'],
      ['update', 'k', '--limit', '1'],
      ['delete', 'k'],
    ]) {
      const verb = args[0] ?? '';
      const r = await argot('sync', ...args, '--type', 'database');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`argot: cannot ${verb} sync limit "k": database semaphores are not configured on this server (use type CONFIGMAP, with the limit in a ConfigMap)\n`);
    }
  });
});

describe('argot sync, flags and wire format', () => {
  let fake: FakeArgoServer;
  const argot = (...args: string[]) => run(args, { server: fake.url });

  beforeEach(async () => {
    fake = await new FakeArgoServer().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it("sends Argo's requests: CreateSyncLimitRequest, UpdateSyncLimitRequest, ?type=&cmName=", async () => {
    fake.failOnce('POST', /^\/api\/v1\/sync\//, 200, { namespace: 'argo', key: 'k', limit: 2, type: 'CONFIGMAP', cmName: 'cm' });
    expect((await argot('sync', 'create', 'k', '--cm-name', 'cm', '--limit', '2', '-n', 'argo')).code).toBe(0);
    expect(fake.last('POST', '/api/v1/sync/argo')?.body).toEqual({ namespace: 'argo', key: 'k', limit: 2, type: 'CONFIGMAP', cmName: 'cm' });

    fake.failOnce('PUT', /^\/api\/v1\/sync\//, 200, { namespace: 'argo', key: 'k', limit: 4, type: 'CONFIGMAP', cmName: 'cm' });
    expect((await argot('sync', 'update', 'k', '--cm-name', 'cm', '--limit', '4', '-n', 'argo')).code).toBe(0);
    expect(fake.last('PUT', '/api/v1/sync/argo/k')?.body).toEqual({ namespace: 'argo', key: 'k', limit: 4, type: 'CONFIGMAP', cmName: 'cm' });

    fake.failOnce('GET', /^\/api\/v1\/sync\//, 200, { namespace: 'argo', key: 'k', limit: 4, type: 'CONFIGMAP', cmName: 'cm' });
    await argot('sync', 'get', 'k', '--cm-name', 'cm', '-n', 'argo');
    expect(fake.last('GET', '/api/v1/sync/argo/k')?.query).toEqual({ type: 'CONFIGMAP', cmName: 'cm' });

    fake.failOnce('DELETE', /^\/api\/v1\/sync\//, 200, {});
    expect((await argot('sync', 'delete', 'k', '--type', 'Database', '-n', 'argo')).stdout).toBe('Sync limit "k" deleted from the database (namespace argo)\n');
    expect(fake.last('DELETE', '/api/v1/sync/argo/k')?.query).toEqual({ type: 'DATABASE' });
  });

  it("fills in what Argo's Go server leaves out (zero limit, CONFIGMAP type)", async () => {
    fake.failOnce('GET', /^\/api\/v1\/sync\//, 200, { namespace: 'argo', key: 'k', cmName: 'cm' });
    expect((await argot('sync', 'get', 'k', '--cm-name', 'cm', '-n', 'argo')).stdout).toBe(
      ['Key:                 k', 'Namespace:           argo', 'Type:                CONFIGMAP', 'ConfigMap:           cm', 'Limit:               0', ''].join('\n'),
    );
    fake.failOnce('GET', /^\/api\/v1\/sync\//, 200, { namespace: 'argo', key: 'k', limit: 3, type: 'DATABASE' });
    expect((await argot('sync', 'get', 'k', '--type', 'database', '-n', 'argo')).stdout).toBe(
      ['Key:                 k', 'Namespace:           argo', 'Type:                DATABASE', 'Limit:               3', ''].join('\n'),
    );
  });

  it('checks flags before calling the server', async () => {
    const noCm = await argot('sync', 'create', 'k', '--limit', '1');
    expect(noCm).toEqual({ code: 1, stdout: '', stderr: 'argot: --cm-name is required with --type configmap: the ConfigMap that holds the limit\n' });
    expect((await argot('sync', 'get', 'k', '--type', 'configmap')).stderr).toContain('--cm-name is required');

    const badType = await argot('sync', 'get', 'k', '--type', 'redis', '--cm-name', 'cm');
    expect(badType.code).toBe(1);
    expect(badType.stderr).toContain("option '--type <type>' argument 'redis' is invalid. expected configmap or database");

    for (const limit of ['-1', '1.5', 'ten', '2147483648']) {
      const r = await argot('sync', 'create', 'k', '--cm-name', 'cm', '--limit', limit);
      expect(r.code, limit).toBe(1);
      expect(r.stderr, limit).toContain(`option '--limit <n>' argument '${limit}' is invalid`);
    }
    const noLimit = await argot('sync', 'update', 'k', '--cm-name', 'cm');
    expect(noLimit.code).toBe(1);
    expect(noLimit.stderr).toContain("required option '--limit <n>' not specified");
    expect(fake.requests).toEqual([]);
  });

  it('leaves authentication failures to the shared wording', async () => {
    fake.failOnce('GET', /^\/api\/v1\/sync\//, 401, { code: 16, message: 'token not valid' });
    const r = await argot('sync', 'get', 'k', '--cm-name', 'cm');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('argot: cannot get sync limit "k" in namespace default: unauthenticated (token not valid); set ARGOT_TOKEN\n');
  });
});
