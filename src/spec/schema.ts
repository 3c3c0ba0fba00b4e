// argot's own description of Argo's resources: each type's fields and their kinds. Lint checks
// manifests against it and normalisation uses it to coerce scalars the way Go decodes them.
// The types are written by area in schema/; schema-oracle.test.ts holds them against Argo's
// published schema.json so the two cannot drift apart silently.

import { artifactTypes } from './schema/artifact.js';
import { kubernetesTypes } from './schema/kubernetes.js';
import { buildTypes, type FieldType, type TypeDef } from './schema/notation.js';
import { templateTypes } from './schema/template.js';
import { workflowTypes } from './schema/workflow.js';

export type { FieldType, Primitive, TypeDef } from './schema/notation.js';
export { describeFieldType } from './schema/notation.js';

export const SCHEMA: ReadonlyMap<string, TypeDef> = buildTypes({
  ...workflowTypes,
  ...templateTypes,
  ...artifactTypes,
  ...kubernetesTypes,
});

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

/** The kinds argot reads, with the apiVersion each must carry and its root type in SCHEMA. */
export const KINDS: Readonly<Record<string, { apiVersion: string; type: string }>> = {
  Workflow: { apiVersion: ARGO_API_VERSION, type: 'Workflow' },
  WorkflowTemplate: { apiVersion: ARGO_API_VERSION, type: 'WorkflowTemplate' },
  ClusterWorkflowTemplate: { apiVersion: ARGO_API_VERSION, type: 'ClusterWorkflowTemplate' },
  CronWorkflow: { apiVersion: ARGO_API_VERSION, type: 'CronWorkflow' },
  WorkflowEventBinding: { apiVersion: ARGO_API_VERSION, type: 'WorkflowEventBinding' },
  ConfigMap: { apiVersion: 'v1', type: 'ConfigMap' },
  PersistentVolumeClaim: { apiVersion: 'v1', type: 'PersistentVolumeClaim' },
};

export function typeDef(name: string): TypeDef {
  const def = SCHEMA.get(name);
  if (!def) throw new Error(`argot schema has no type "${name}"`);
  return def;
}

export function refType(name: string): FieldType {
  return { kind: 'ref', name };
}
