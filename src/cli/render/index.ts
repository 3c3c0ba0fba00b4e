// The `argo get` presentation: pure functions from a Workflow to text, no I/O.

export { renderWorkflow, type RenderOptions } from './workflow.js';
export { renderProgressLine, progressOf } from './progress.js';
export { renderNodeTable } from './node-table.js';
export { buildNodeForest, type NodeForest, type TreeNode } from './node-tree.js';
export { formatDuration, formatDurationLong, formatTimestamp, relativeTime, elapsedMs } from './duration.js';
export { phaseIcon } from './phase-icon.js';
export { podNameOf, fnv32a } from './pod-name.js';
export { tabwrite, type TabwriterOptions } from './tabwriter.js';
export { displayWidth, stripAnsi } from './display-width.js';
