// Places the graph with dagre (as Argo's UI does). Layout is the expensive part for big workflows,
// so callers memoise it on the model's structureKey: phases change every second, structure rarely.
import dagre from '@dagrejs/dagre';
import type { GraphModel, GraphNode } from './model';

export type Direction = 'LR' | 'TB';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const CARD_WIDTH = 190;
const CARD_HEIGHT = 48;
const CONTAINER_ROW = 22;
const DOT = 16;

export function nodeSize(n: GraphNode): { width: number; height: number } {
  if (n.kind === 'dot') return { width: DOT, height: DOT };
  return { width: CARD_WIDTH, height: CARD_HEIGHT + (n.containers.length > 0 ? 6 + n.containers.length * CONTAINER_ROW : 0) };
}

/** Top-left corners and sizes, by node ID. */
export function layoutGraph(model: GraphModel, direction: Direction): Map<string, Box> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 24, ranksep: 48, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.id, nodeSize(n));
  for (const e of model.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const boxes = new Map<string, Box>();
  for (const n of model.nodes) {
    const placed = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!placed) continue;
    boxes.set(n.id, { x: placed.x - placed.width / 2, y: placed.y - placed.height / 2, width: placed.width, height: placed.height });
  }
  return boxes;
}
