// The STEP/TEMPLATE/PODNAME/DURATION/MESSAGE table of `argo get`, with Argo's tree prefixes.
// Hidden nodes still shape the drawing: a StepGroup is never a row, but its steps branch off one
// line (`└─┬─✔ a`, `  └─✔ b`), which is how parallel steps read as parallel.

import type { NodeStatus, Workflow } from '../../spec/types.js';
import { elapsedMs, formatDuration } from './duration.js';
import { buildNodeForest, type TreeNode } from './node-tree.js';
import { phaseIcon, suspendIcon } from './phase-icon.js';
import { podNameOf } from './pod-name.js';
import { tabwrite } from './tabwriter.js';

export interface TableOptions {
  color: boolean;
  utf8: boolean;
  now: Date;
}

interface Glyphs {
  first: [string, string]; // first of several moved-up children: the branch point
  only: [string, string]; // sole moved-up child: continues the parent's line
  middle: [string, string];
  last: [string, string];
}

// [prefix for the child's row, prefix for the rows under it]
const UTF8: Glyphs = { first: ['┬─', '│ '], only: ['──', '  '], middle: ['├─', '│ '], last: ['└─', '  '] };
const ASCII: Glyphs = { first: ['+-', '| '], only: ['+-', '| '], middle: ['|-', '| '], last: ['`-', '  '] };

/** The aligned table, header included; empty when the workflow has no root node yet. */
export function renderNodeTable(wf: Workflow, options: TableOptions): string[] {
  const { main, onExit } = buildNodeForest(wf);
  if (!main) return [];
  const rows = ['STEP\tTEMPLATE\tPODNAME\tDURATION\tMESSAGE'];
  const visited = new Set<string>();
  renderTree(wf, main, ' ', ' ', rows, visited, options);
  if (onExit) {
    // A row of empty cells, as argo prints: it keeps both trees in one column block (same widths).
    rows.push('\t\t\t\t');
    renderTree(wf, onExit, ' ', ' ', rows, visited, options);
  }
  return tabwrite(rows, { padding: 2 });
}

/** Whether the node gets no row, and whether its children then take its place in the drawing. */
function hiddenness(node: NodeStatus): { hidden: boolean; movedUp: boolean } {
  if (node.type === 'StepGroup') return { hidden: true, movedUp: true };
  // A retry that never retried is noise: its only attempt is shown in its place.
  if (node.type === 'Retry' && (node.children?.length ?? 0) === 1) return { hidden: true, movedUp: false };
  if (node.type === 'Skipped' && node.phase === 'Omitted') return { hidden: true, movedUp: false };
  return { hidden: false, movedUp: false };
}

function renderTree(
  wf: Workflow,
  entry: TreeNode,
  nodePrefix: string,
  childPrefix: string,
  rows: string[],
  visited: Set<string>,
  options: TableOptions,
): void {
  if (visited.has(entry.node.id)) return; // a malformed status graph must not loop forever
  visited.add(entry.node.id);
  const { hidden, movedUp } = hiddenness(entry.node);
  if (!hidden) rows.push(row(wf, entry.node, nodePrefix, options));
  const glyphs = options.utf8 ? UTF8 : ASCII;
  const last = entry.children.length - 1;
  entry.children.forEach((child, i) => {
    let part = '';
    let sub = '';
    if (!hidden) [part, sub] = i === last ? glyphs.last : glyphs.middle;
    else if (movedUp) [part, sub] = last === 0 ? glyphs.only : i === 0 ? glyphs.first : i === last ? glyphs.last : glyphs.middle;
    // A hidden node's first child continues the hidden node's own line; later ones start fresh lines.
    const head = hidden && i === 0 ? nodePrefix : childPrefix;
    renderTree(wf, child, head + part, childPrefix + sub, rows, visited, options);
  });
}

function row(wf: Workflow, node: NodeStatus, prefix: string, options: TableOptions): string {
  const activeSuspend = node.type === 'Suspend' && node.phase === 'Running';
  const icon = activeSuspend ? suspendIcon(options.color, options.utf8) : phaseIcon(node.phase, options.color, options.utf8);
  const template = node.templateRef ? `${node.templateRef.name}/${node.templateRef.template}` : (node.templateName ?? '');
  const podName = podNameOf(wf, node) ?? '';
  const elapsed = node.type === 'Pod' ? elapsedMs(node.startedAt, node.finishedAt, options.now) : undefined;
  const duration = elapsed === undefined ? '' : formatDuration(elapsed);
  return [`${prefix}${icon} ${node.displayName}`, template, podName, duration, oneLine(node.message ?? '')].join('\t');
}

// A tab or newline in a message would break the table.
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}
