// Draws the graph model with @xyflow/react (pan, zoom, minimap) at the positions dagre gave it.
// Positions are memoised on the model's structure; phases flow through as node data, so a live
// phase change repaints a node without moving anything.
import { Background, Controls, Handle, MarkerType, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { phaseClass, phaseIcon } from '../format';
import { layoutGraph, type Direction } from './layout';
import type { GraphModel, GraphNode } from './model';
import './graph.css';

interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  selected: boolean;
  direction: Direction;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}

type FlowNode = Node<NodeData, 'wf'>;

function WorkflowNodeView({ data }: NodeProps<FlowNode>): ReactNode {
  const { node, selected, direction, onSelect, onToggle } = data;
  const [target, source] = direction === 'LR' ? [Position.Left, Position.Right] : [Position.Top, Position.Bottom];
  const label = `${node.label}: ${node.phase || 'Pending'}${node.collapsed ? `, ${node.hidden} hidden` : ''}`;
  return (
    <div className={`wf-node wf-node-${node.kind} ${phaseClass(node.phase)}${selected ? ' selected' : ''}`} data-phase={node.phase} data-node-id={node.id}>
      <Handle type="target" position={target} isConnectable={false} />
      <button type="button" className="wf-node-main nodrag nopan" aria-label={label} aria-pressed={selected} title={`${node.label} (${node.type})`} onClick={() => onSelect(node.id)}>
        <span className="wf-node-icon" aria-hidden="true">
          {phaseIcon(node.phase)}
        </span>
        {node.kind === 'card' && (
          <span className="wf-node-text">
            <span className="wf-node-label">{node.label}</span>
            <span className="wf-node-type">{node.collapsed ? `${node.type} · ${node.hidden} hidden` : node.type}</span>
          </span>
        )}
      </button>
      {node.collapsible && (
        <button
          type="button"
          className="wf-node-toggle nodrag nopan"
          aria-expanded={!node.collapsed}
          aria-label={`${node.collapsed ? 'Expand' : 'Collapse'} ${node.label}`}
          title={node.collapsed ? 'Expand' : 'Collapse'}
          onClick={() => onToggle(node.id)}
        >
          {node.collapsed ? '+' : '−'}
        </button>
      )}
      {node.containers.length > 0 && (
        <ul className="wf-node-containers" aria-label={`Containers of ${node.label}`}>
          {node.containers.map((c) => (
            <li key={c.id}>
              <button type="button" className={`nodrag nopan ${phaseClass(c.phase)}`} data-container-id={c.id} aria-label={`container ${c.name}: ${c.phase}`} onClick={() => onSelect(c.id)}>
                <span aria-hidden="true">{phaseIcon(c.phase)}</span> {c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Handle type="source" position={source} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { wf: WorkflowNodeView };

/** Graphs bigger than this are laid out again at most every RELAYOUT_MS while they grow. */
const BIG_GRAPH = 200;
const RELAYOUT_MS = 2000;

export interface WorkflowGraphProps {
  model: GraphModel;
  direction: Direction;
  selected: string | undefined;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}

export function WorkflowGraph(props: WorkflowGraphProps): ReactNode {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}

function Flow({ model, direction, selected, onSelect, onToggle }: WorkflowGraphProps): ReactNode {
  // Laid out again only when the structure changes, not on every live update; a big graph that
  // keeps growing at most every RELAYOUT_MS (dagre takes most of a second for 800 nodes). Nodes
  // newer than the last layout appear with the next one.
  const [laidOut, setLaidOut] = useState(model);
  const lastLayout = useRef(0);
  useEffect(() => {
    if (model.structureKey === laidOut.structureKey) return undefined;
    const wait = model.nodes.length > BIG_GRAPH ? Math.max(0, lastLayout.current + RELAYOUT_MS - Date.now()) : 0;
    const t = setTimeout(() => {
      lastLayout.current = Date.now();
      setLaidOut(model);
    }, wait);
    return () => clearTimeout(t);
  }, [model, laidOut.structureKey]);
  const boxes = useMemo(() => layoutGraph(laidOut, direction), [laidOut, direction]);
  const nodes: FlowNode[] = model.nodes.flatMap((n) => {
    const box = boxes.get(n.id);
    if (!box) return [];
    return {
      id: n.id,
      type: 'wf',
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      data: { node: n, selected: selected === n.id || n.containers.some((c) => c.id === selected), direction, onSelect, onToggle },
      // Not selectable in xyflow's sense (selection is ours, in the URL), yet its buttons take clicks.
      style: { pointerEvents: 'all' },
      draggable: false,
      selectable: false,
      connectable: false,
    };
  });
  const edges: Edge[] = useMemo(
    () =>
      model.edges
        .filter((e) => boxes.has(e.source) && boxes.has(e.target))
        .map((e) => ({ id: e.id, source: e.source, target: e.target, type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 } })),
    [model.edges, boxes],
  );

  // Fit the graph as it grows and when its space changes (the node panel opening, a resize), until
  // the user pans or zooms themselves. Not below a readable zoom: a 600-wide loop fitted whole is a
  // grey line; the minimap shows where the rest is.
  const flow = useReactFlow();
  const userMoved = useRef(false);
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState('');
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setSize(`${el.clientWidth}x${el.clientHeight}`));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (userMoved.current) return undefined;
    const t = setTimeout(() => void flow.fitView({ padding: 0.1, maxZoom: 1.2, minZoom: 0.25 }), 30);
    return () => clearTimeout(t);
  }, [flow, laidOut.structureKey, direction, size]);

  return (
    <div ref={box} className="wf-graph-box">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={model.nodes.length > BIG_GRAPH}
        minZoom={0.05}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
        onMoveStart={(event) => {
          if (event) userMoved.current = true;
        }}
      >
        <Background />
        <Controls showInteractive={false} />
        {model.nodes.length > 30 && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}
