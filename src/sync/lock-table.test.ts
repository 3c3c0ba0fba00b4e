import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../spec/types.js';
import { limitSource, parseLimit } from './limit.js';
import { decodeLockId, lockRefs } from './lock-ref.js';
import { LockTable } from './lock-table.js';
import type { LockDecision, LockRef, LockRequest } from './types.js';

function cms(data: Record<string, string>): Map<string, ConfigMap> {
  return new Map([['argo/my-config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my-config', namespace: 'argo' }, data }]]);
}

const sem = (key: string): LockRef => ({ kind: 'semaphore', storage: 'configmap', namespace: 'argo', name: 'my-config', key, id: `argo/ConfigMap/my-config/${key}` });
const mutex = (name: string): LockRef => ({ kind: 'mutex', storage: 'memory', namespace: 'argo', name, id: `argo/Mutex/${name}` });

let clock = 1_000;
function req(holder: string, locks: LockRef[], extra: Partial<LockRequest> = {}): LockRequest {
  const parts = holder.split('/');
  return {
    holder,
    workflow: parts.slice(0, 2).join('/'),
    level: parts.length > 2 ? 'template' : 'workflow',
    priority: 0,
    creation: '2026-01-01T00:00:00Z',
    locks,
    now: clock++,
    ...extra,
  };
}

const kind = (d: LockDecision): string => d.kind;

describe('lock references', () => {
  it('reads both syntaxes, singular first, and keys locks as Argo', () => {
    const refs = lockRefs({ semaphore: { configMapKeyRef: { name: 'c', key: 'a' } }, mutex: { name: 'm' }, semaphores: [{ configMapKeyRef: { name: 'c', key: 'b' }, namespace: 'limits' }], mutexes: [{ name: 'n/x' }] }, 'argo');
    expect(refs.map((r) => r.id)).toEqual(['argo/ConfigMap/c/a', 'argo/Mutex/m', 'limits/ConfigMap/c/b', 'argo/Mutex/n/x']);
  });

  it.each([
    [{ mutexes: [{ name: 'm' }], mutex: { name: 'm' } }, 'duplicate synchronization item found'],
    [{ semaphores: [{ configMapKeyRef: { name: 'c', key: 'k' }, database: { key: 'k' } }] }, 'invalid semaphore with both ConfigMapKeyRef and Database'],
    [{ semaphores: [{}] }, 'cannot get LockName for a Semaphore without a ConfigMapRef or Database'],
    [{ mutexes: [{ name: '' }] }, 'mutex name is empty'],
  ])('rejects %j', (sync, message) => {
    expect(() => lockRefs(sync, 'argo')).toThrow(message);
    expect(() => lockRefs(sync, 'argo')).toThrow(/^requested configuration is invalid: /);
  });

  it('keeps a database mutex and a database semaphore of one name apart', () => {
    const refs = lockRefs({ semaphores: [{ database: { key: 'x' } }], mutexes: [{ name: 'x', database: true }] }, 'argo');
    expect(refs).toHaveLength(2);
  });

  it('decodes the keys it writes', () => {
    for (const ref of lockRefs({ semaphores: [{ configMapKeyRef: { name: 'c', key: 'k' } }], mutexes: [{ name: 'a/b' }] }, 'ns')) {
      expect(decodeLockId(ref.kind, ref.id)).toEqual(ref);
    }
    expect(decodeLockId('semaphore', 'ns/ConfigMap/only')).toBeUndefined();
  });
});

describe('limits', () => {
  it.each([
    ['3', 3],
    ['+2', 2],
    ['0', 0],
  ])('parses %s', (raw, limit) => expect(parseLimit(raw)).toEqual({ limit }));

  it.each(['two', ' 2', '2.0', '-1', ''])('refuses %j with a reason', (raw) => {
    expect(parseLimit(raw)).toHaveProperty('error');
  });
});

describe('LockTable', () => {
  it('admits up to the limit, then queues in order and grants freed slots to the first waiters', () => {
    const table = new LockTable(limitSource(cms({ w: '2' })));
    expect(kind(table.acquire(req('argo/a', [sem('w')])))).toBe('acquired');
    expect(kind(table.acquire(req('argo/b', [sem('w')])))).toBe('acquired');
    const c = table.acquire(req('argo/c', [sem('w')]));
    expect(c).toMatchObject({ kind: 'waiting', message: 'Waiting for argo/ConfigMap/my-config/w lock. Lock status: 0/2', failedLock: 'argo/ConfigMap/my-config/w' });
    table.acquire(req('argo/d', [sem('w')]));
    expect(kind(table.acquire(req('argo/a', [sem('w')])))).toBe('held');
    // a's status no longer records it: released, and exactly the head waiter is woken.
    expect(table.sync('argo/a', undefined)).toEqual(['argo/c']);
    // d cannot jump the queue even if it reconciles first.
    expect(kind(table.acquire(req('argo/d', [sem('w')])))).toBe('waiting');
    expect(kind(table.acquire(req('argo/c', [sem('w')])))).toBe('acquired');
  });

  it('orders waiters by priority, then creation time, then enqueue time', () => {
    const table = new LockTable(limitSource(cms({})));
    table.acquire(req('argo/w0', [mutex('m')]));
    table.acquire(req('argo/w1', [mutex('m')], { creation: '2026-01-01T00:00:01Z' }));
    table.acquire(req('argo/w2', [mutex('m')], { creation: '2026-01-01T00:00:02Z', priority: 5 }));
    table.acquire(req('argo/w3', [mutex('m')], { creation: '2026-01-01T00:00:01Z' }));
    table.acquire(req('argo/w4', [mutex('m')], { creation: '2026-01-01T00:00:00Z' }));
    const order = table.snapshot()[0]?.waiting.map((w) => w.holder);
    expect(order).toEqual(['argo/w2', 'argo/w4', 'argo/w1', 'argo/w3']);
  });

  it('breaks a tie of priority, creation and enqueue time by arrival, not by holder name (A-02 [ENGINE])', () => {
    const table = new LockTable(limitSource(cms({})));
    table.acquire(req('argo/w0', [mutex('m'), mutex('n')]));
    // Same millisecond (or a coarse clock): wf-z queued before wf-a, on both locks.
    table.acquire(req('argo/wf-z', [mutex('m'), mutex('n')], { now: 5 }));
    table.acquire(req('argo/wf-a', [mutex('n'), mutex('m')], { now: 5 }));
    for (const lock of table.snapshot()) expect(lock.waiting.map((w) => w.holder)).toEqual(['argo/wf-z', 'argo/wf-a']);
    // A holder asking again keeps its place.
    table.acquire(req('argo/wf-z', [mutex('m'), mutex('n')], { now: 9 }));
    expect(table.snapshot()[0]?.waiting.map((w) => w.holder)).toEqual(['argo/wf-z', 'argo/wf-a']);
    table.sync('argo/w0', undefined);
    expect(kind(table.acquire(req('argo/wf-a', [mutex('m'), mutex('n')])))).toBe('waiting');
    expect(kind(table.acquire(req('argo/wf-z', [mutex('m'), mutex('n')])))).toBe('acquired');
  });

  it('takes several locks all or nothing, and a multi-lock waiter at the head blocks its other locks (documented head-of-line)', () => {
    const table = new LockTable(limitSource(cms({})));
    expect(kind(table.acquire(req('argo/b', [mutex('B')])))).toBe('acquired');
    const x = table.acquire(req('argo/x', [mutex('A'), mutex('B')]));
    expect(x).toMatchObject({ kind: 'waiting', failedLock: 'argo/Mutex/B' });
    expect(table.snapshot().find((l) => l.ref.id === 'argo/Mutex/A')?.holders).toEqual([]);
    expect(kind(table.acquire(req('argo/y', [mutex('A')])))).toBe('waiting');
    expect(table.sync('argo/b', undefined)).toEqual(['argo/x']);
    expect(kind(table.acquire(req('argo/x', [mutex('A'), mutex('B')])))).toBe('acquired');
    expect(table.sync('argo/x', undefined)).toEqual(['argo/y']);
  });

  it('on a limit change wakes the waiters it admits first, then the other waiters (stale messages); pre-empts no one on a decrease', () => {
    const configMaps = cms({ w: '1' });
    const table = new LockTable(limitSource(configMaps));
    table.acquire(req('argo/w0', [sem('w')]));
    for (const n of [1, 2, 3, 4]) table.acquire(req(`argo/w${n}`, [sem('w')]));
    (configMaps.get('argo/my-config')?.data as Record<string, string>).w = '3';
    expect(table.refreshLimits()).toEqual(['argo/w1', 'argo/w2', 'argo/w3', 'argo/w4']);
    expect(kind(table.acquire(req('argo/w2', [sem('w')])))).toBe('acquired');
    expect(kind(table.acquire(req('argo/w1', [sem('w')])))).toBe('acquired');
    expect(kind(table.acquire(req('argo/w3', [sem('w')])))).toBe('waiting');
    (configMaps.get('argo/my-config')?.data as Record<string, string>).w = '1';
    expect(table.refreshLimits()).toEqual(['argo/w3', 'argo/w4']);
    expect(table.refreshLimits()).toEqual([]);
    expect(table.snapshot()[0]?.holders).toHaveLength(3);
    expect(table.sync('argo/w0', undefined)).toEqual([]);
    expect(table.sync('argo/w1', undefined)).toEqual([]);
    expect(table.sync('argo/w2', undefined)).toEqual(['argo/w3']);
  });

  it('limit 0 on a live semaphore keeps holders and makes new requests wait with Argo message', () => {
    const configMaps = cms({ w: '2' });
    const table = new LockTable(limitSource(configMaps));
    table.acquire(req('argo/a', [sem('w')]));
    (configMaps.get('argo/my-config')?.data as Record<string, string>).w = '0';
    expect(table.acquire(req('argo/b', [sem('w')]))).toMatchObject({ kind: 'waiting', message: 'Failed to get semaphore limit for argo/ConfigMap/my-config/w' });
    expect(kind(table.acquire(req('argo/a', [sem('w')])))).toBe('held');
  });

  it('fails at first use when the limit cannot be read, and keeps the last known limit once the lock lives', () => {
    const configMaps = cms({ w: 'two' });
    const table = new LockTable(limitSource(configMaps));
    const first = table.acquire(req('argo/a', [sem('w')]));
    expect(first).toMatchObject({ kind: 'error' });
    expect(first.kind === 'error' && first.message).toMatch(/^failed to initialize semaphore argo\/ConfigMap\/my-config\/w with limit: .*not an integer/);
    (configMaps.get('argo/my-config')?.data as Record<string, string>).w = '1';
    expect(kind(table.acquire(req('argo/a', [sem('w')])))).toBe('acquired');
    configMaps.delete('argo/my-config');
    expect(kind(table.acquire(req('argo/b', [sem('w')])))).toBe('waiting');
    expect(table.sync('argo/a', undefined)).toEqual(['argo/b']);
    expect(kind(table.acquire(req('argo/b', [sem('w')])))).toBe('acquired');
  });

  it('refuses a node a lock its own workflow holds at workflow level', () => {
    const table = new LockTable(limitSource(cms({})));
    table.acquire(req('argo/wf', [mutex('m')]));
    expect(table.acquire(req('argo/wf/wf-123', [mutex('m')]))).toMatchObject({ kind: 'error', message: expect.stringContaining('self-deadlock') });
  });

  it('lets sibling nodes of one workflow take slots granted to each other, but not a same-named workflow of another namespace', () => {
    const table = new LockTable(limitSource(cms({ t: '1' })));
    table.acquire(req('argo/wf/n1', [sem('t')]));
    table.acquire(req('argo/wf/n2', [sem('t')]));
    table.acquire(req('argo/wf/n3', [sem('t')]));
    table.sync('argo/wf', { holds: [], waits: [2, 3].map((n) => ({ holder: `argo/wf/n${n}`, level: 'template' as const, refs: [sem('t')], since: 0 })), priority: 0, creation: '' });
    expect(kind(table.acquire(req('argo/wf/n3', [sem('t')])))).toBe('acquired');
    const other = new LockTable(limitSource(cms({ t: '1' })));
    const m = mutex('x');
    other.acquire(req('a/wf/n1', [m]));
    other.acquire(req('a/wf/n2', [m]));
    other.acquire(req('b/wf/n9', [m]));
    other.sync('a/wf', { holds: [], waits: [{ holder: 'a/wf/n2', level: 'template', refs: [m], since: 0 }], priority: 0, creation: '' });
    expect(kind(other.acquire(req('b/wf/n9', [m])))).toBe('waiting');
  });

  it('rebuilds from stored state: recorded holders are kept even above the limit, and the queue order survives', () => {
    const table = new LockTable(limitSource(cms({ w: '1' })));
    table.sync('argo/h1', { holds: [{ holder: 'argo/h1', ref: sem('w') }], waits: [], priority: 0, creation: '' });
    table.sync('argo/h2', { holds: [{ holder: 'argo/h2', ref: sem('w') }], waits: [], priority: 0, creation: '' });
    table.sync('argo/late', { holds: [], waits: [{ holder: 'argo/late', level: 'workflow', refs: [sem('w')], since: 50 }], priority: 0, creation: '' });
    table.sync('argo/early', { holds: [], waits: [{ holder: 'argo/early', level: 'workflow', refs: [sem('w')], since: 10 }], priority: 0, creation: '' });
    expect(table.snapshot()[0]?.holders).toEqual(['argo/h1', 'argo/h2']);
    expect(kind(table.acquire(req('argo/new', [sem('w')])))).toBe('waiting');
    expect(table.sync('argo/h1', undefined)).toEqual([]);
    expect(table.sync('argo/h2', undefined)).toEqual(['argo/early']);
    expect(kind(table.acquire(req('argo/late', [sem('w')])))).toBe('waiting');
  });

  it('drops a deleted waiter from every queue and wakes who is next', () => {
    const table = new LockTable(limitSource(cms({})));
    table.acquire(req('argo/h', [mutex('A')]));
    table.acquire(req('argo/x', [mutex('A'), mutex('B')]));
    table.acquire(req('argo/y', [mutex('B')]));
    expect(table.workflows().sort()).toEqual(['argo/h', 'argo/x', 'argo/y']);
    expect(table.sync('argo/x', undefined)).toEqual(['argo/y']);
    expect(table.snapshot().flatMap((l) => l.waiting.map((w) => w.holder))).toEqual(['argo/y']);
  });
});
