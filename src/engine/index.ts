export { reconcile } from './reconcile.js';
export type { Action, EngineConfig, ReconcileInput, ReconcileResult, TemplateLookup } from './types.js';
export { nodeId, podName, fnv32a } from './ids.js';
export { isFulfilled, isWorkflowFinished, workflowPhaseOf } from './phase.js';
export { parseDuration } from './duration.js';
export { CONTAINER_DELETED, applyNodePatches, findBrokenPods, podContainers, repairBrokenPods, type BrokenPod, type NodePatch } from './invariants.js';
