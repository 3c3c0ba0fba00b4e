// The workflow page's graph model: which nodes are drawn, which edges join them, and how folding a
// scope (retry, loop, nested steps) hides what it owns while keeping the flow connected.
import { describe, expect, it } from 'vitest';
import { AUTO_COLLAPSE_OVER, buildGraph, type NodeLike } from '../../ui/src/graph/model.js';

/** The tree argot records for a DAG with a nested steps task, a loop, a retry and a containerSet (from `argot run`). */
function shapes(): Record<string, NodeLike> {
  const n = (id: string, type: string, displayName: string, boundaryID: string | undefined, children: string[] = [], extra: Partial<NodeLike> = {}): NodeLike => ({
    id,
    name: id === 'wf' ? 'wf' : `wf.${displayName}`,
    displayName,
    type,
    phase: 'Succeeded',
    children,
    ...(boundaryID ? { boundaryID } : {}),
    ...extra,
  });
  const list = [
    n('wf', 'DAG', 'wf', undefined, ['a'], { outboundNodes: ['d'] }),
    n('a', 'Steps', 'a', 'wf', ['g0'], { outboundNodes: ['s3'] }),
    n('g0', 'StepGroup', '[0]', 'a', ['s1', 's2']),
    n('s1', 'Pod', 's1', 'a', ['g1']),
    n('s2', 'Pod', 's2', 'a', ['g1']),
    n('g1', 'StepGroup', '[1]', 'a', ['s3']),
    n('s3', 'Pod', 's3', 'a', ['b', 'c']),
    n('b', 'TaskGroup', 'b', 'wf', ['b0', 'b1']),
    n('b0', 'Pod', 'b(0:1)', 'wf', ['d']),
    n('b1', 'Pod', 'b(1:2)', 'wf', ['d']),
    n('c', 'Retry', 'c', 'wf', ['c0', 'c1']),
    n('c0', 'Pod', 'c(0)', 'wf', [], { phase: 'Failed' }),
    n('c1', 'Pod', 'c(1)', 'wf', ['d']),
    n('d', 'Pod', 'd', 'wf', ['one'], { phase: 'Running' }),
    n('one', 'Container', 'one', 'd', ['two']),
    n('two', 'Container', 'two', 'd', [], { phase: 'Running' }),
  ];
  return Object.fromEntries(list.map((x) => [x.id, x]));
}

const edgeIds = (g: ReturnType<typeof buildGraph>): string[] => g.edges.map((e) => e.id).sort();

describe('buildGraph', () => {
  it('draws every node once, step groups and loops as dots, containerSet containers inside their pod', () => {
    const g = buildGraph(shapes(), 'wf');
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'b0', 'b1', 'c', 'c0', 'c1', 'd', 'g0', 'g1', 's1', 's2', 's3', 'wf']);
    expect(g.nodes.find((n) => n.id === 'g0')?.kind).toBe('dot');
    expect(g.nodes.find((n) => n.id === 'b')?.kind).toBe('dot');
    expect(g.nodes.find((n) => n.id === 'c')?.kind).toBe('card');
    expect(g.nodes.find((n) => n.id === 'd')?.containers).toEqual([
      { id: 'one', name: 'one', phase: 'Succeeded' },
      { id: 'two', name: 'two', phase: 'Running' },
    ]);
    expect(edgeIds(g)).toContain('s3->b');
    expect(edgeIds(g)).toContain('c1->d');
    expect(edgeIds(g).some((e) => e.includes('one') || e.includes('two'))).toBe(false);
    // g1 runs one step: nothing worth folding.
    expect(g.nodes.filter((n) => n.collapsible).map((n) => n.id).sort()).toEqual(['a', 'b', 'c', 'g0']);
  });

  it('folding a retry hides its attempts and joins its own node to what follows', () => {
    const g = buildGraph(shapes(), 'wf', new Set(['c']));
    const c = g.nodes.find((n) => n.id === 'c');
    expect(c).toMatchObject({ collapsed: true, hidden: 2, kind: 'card' });
    expect(g.nodes.some((n) => n.id === 'c0' || n.id === 'c1')).toBe(false);
    expect(edgeIds(g)).toContain('c->d');
    expect(edgeIds(g)).toContain('s3->c');
  });

  it('folding nested steps hides their groups and pods, keeping the edges in and out', () => {
    const g = buildGraph(shapes(), 'wf', new Set(['a']));
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'b0', 'b1', 'c', 'c0', 'c1', 'd', 'wf']);
    expect(edgeIds(g)).toEqual(expect.arrayContaining(['wf->a', 'a->b', 'a->c']));
    expect(edgeIds(g).every((e) => !e.startsWith('a->a'))).toBe(true);
    expect(g.nodes.find((n) => n.id === 'a')?.hidden).toBe(5);
  });

  it('keeps the structure key across phase changes and changes it when nodes appear or fold', () => {
    const before = buildGraph(shapes(), 'wf');
    const changed = shapes();
    changed['d'] = { ...changed['d']!, phase: 'Succeeded' };
    expect(buildGraph(changed, 'wf').structureKey).toBe(before.structureKey);
    expect(buildGraph(changed, 'wf').nodes.find((n) => n.id === 'd')?.phase).toBe('Succeeded');
    expect(buildGraph(shapes(), 'wf', new Set(['b'])).structureKey).not.toBe(before.structureKey);
    const grown = shapes();
    grown['e'] = { id: 'e', name: 'wf.e', displayName: 'e', type: 'Pod', phase: 'Pending', boundaryID: 'wf' };
    grown['d'] = { ...grown['d']!, children: ['one', 'e'] };
    expect(buildGraph(grown, 'wf').structureKey).not.toBe(before.structureKey);
  });

  it.each(['TaskGroup', 'StepGroup'])('folds a big loop (%s) by default, and a toggle unfolds it', (type) => {
    const nodes: Record<string, NodeLike> = { wf: { id: 'wf', name: 'wf', displayName: 'wf', type: type === 'TaskGroup' ? 'DAG' : 'Steps', phase: 'Running', children: ['loop'] } };
    const items = Array.from({ length: AUTO_COLLAPSE_OVER + 1 }, (_, i) => `i${i}`);
    nodes['loop'] = { id: 'loop', name: 'wf.loop', displayName: 'loop', type, phase: 'Running', boundaryID: 'wf', children: items };
    for (const id of items) nodes[id] = { id, name: `wf.loop(${id})`, displayName: id, type: 'Pod', phase: 'Running', boundaryID: 'wf' };
    const folded = buildGraph(nodes, 'wf');
    expect(folded.nodes.map((n) => n.id)).toEqual(['wf', 'loop']);
    expect(folded.nodes[1]).toMatchObject({ collapsed: true, hidden: items.length, kind: 'card' });
    expect(buildGraph(nodes, 'wf', new Set(['loop'])).nodes).toHaveLength(items.length + 2);
  });

  it('joins the exit handler after the last nodes, and survives an empty or cyclic tree', () => {
    const nodes = shapes();
    nodes['exit'] = { id: 'exit', name: 'wf.onExit', displayName: 'wf.onExit', type: 'Pod', phase: 'Pending' };
    expect(edgeIds(buildGraph(nodes, 'wf'))).toContain('d->exit');
    expect(buildGraph({}, 'wf')).toEqual({ nodes: [], edges: [], structureKey: '' });
    const cyclic: Record<string, NodeLike> = {
      wf: { id: 'wf', name: 'wf', displayName: 'wf', type: 'Steps', phase: 'Running', children: ['x'] },
      x: { id: 'x', name: 'x', displayName: 'x', type: 'Steps', phase: 'Running', boundaryID: 'y', children: ['y'] },
      y: { id: 'y', name: 'y', displayName: 'y', type: 'Steps', phase: 'Running', boundaryID: 'x', children: ['x'] },
    };
    expect(buildGraph(cyclic, 'wf', new Set(['x'])).nodes.length).toBeGreaterThan(0);
  });
});
