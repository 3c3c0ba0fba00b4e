// Argo's pod names, which users grep logs and `kubectl` output for. Argo v3.4+ names pods "v2":
// `<workflow>-<template>-<fnv32a(node name)>`; the node ID is `<workflow>-<fnv32a(node name)>`, so
// the hash is the ID's suffix. A workflow can ask for the old v1 form (the node ID) by annotation.

import { fnv32a, podName } from '../../engine/ids.js';
import type { NodeStatus, Workflow } from '../../spec/types.js';

export { fnv32a };

const POD_NAME_FORMAT_ANNOTATION = 'workflows.argoproj.io/pod-name-format';

/** The pod that runs `node`, or undefined for nodes that run no pod (steps, DAGs, suspends…). */
export function podNameOf(wf: Workflow, node: NodeStatus): string | undefined {
  if (node.type !== 'Pod') return undefined;
  const wfName = wf.metadata.name ?? '';
  if (wf.metadata.annotations?.[POD_NAME_FORMAT_ANNOTATION] === 'v1') return node.id;
  if (node.name === wfName || node.id === wfName) return wfName;
  const template = node.templateRef?.template ?? node.templateName ?? '';
  // Inline templates have no name worth repeating, so Argo leaves it out.
  return podName(wfName, node.name, node.name.includes('.inline') || template === '' ? undefined : template);
}
