// The top-level resources (Workflow, the two template kinds, CronWorkflow, WorkflowEventBinding)
// and the WorkflowSpec they share.

import type { TypeSpec } from './notation.js';

const argo = (name: string) => `io.argoproj.workflow.v1alpha1.${name}`;

function resource(kind: string, spec: string, withStatus: boolean): TypeSpec {
  const fields: Record<string, string> = { apiVersion: 'string', kind: 'string', metadata: 'ObjectMeta', spec };
  // Status is written by the controller; a manifest that carries one (exported from a cluster) is still valid.
  if (withStatus) fields['status'] = 'any';
  return { models: argo(kind), fields, required: ['metadata', 'spec'] };
}

export const workflowTypes: Record<string, TypeSpec> = {
  Workflow: resource('Workflow', 'WorkflowSpec', true),
  WorkflowTemplate: resource('WorkflowTemplate', 'WorkflowSpec', false),
  ClusterWorkflowTemplate: resource('ClusterWorkflowTemplate', 'WorkflowSpec', false),
  CronWorkflow: resource('CronWorkflow', 'CronWorkflowSpec', true),
  WorkflowEventBinding: resource('WorkflowEventBinding', 'WorkflowEventBindingSpec', false),

  WorkflowSpec: {
    models: argo('WorkflowSpec'),
    fields: {
      entrypoint: 'string',
      templates: '[Template]',
      arguments: 'Arguments',
      onExit: 'string',
      hooks: '{LifecycleHook}',
      workflowTemplateRef: 'WorkflowTemplateRef',
      templateDefaults: 'Template',
      // run control
      parallelism: 'int',
      activeDeadlineSeconds: 'int',
      suspend: 'bool',
      shutdown: 'string',
      priority: 'int',
      retryStrategy: 'RetryStrategy',
      synchronization: 'Synchronization',
      // metadata, observability, retention
      workflowMetadata: 'WorkflowMetadata',
      podMetadata: 'Metadata',
      metrics: 'Metrics',
      podGC: 'PodGC',
      ttlStrategy: 'TTLStrategy',
      volumeClaimGC: 'VolumeClaimGC',
      // artifacts
      archiveLogs: 'bool',
      artifactRepositoryRef: 'ArtifactRepositoryRef',
      artifactGC: 'WorkflowLevelArtifactGC',
      executorPlugins: '[ExecutorPlugin]',
      // storage
      volumes: '[Volume]',
      volumeClaimTemplates: '[PersistentVolumeClaim]',
      // copied onto every pod
      serviceAccountName: 'string',
      automountServiceAccountToken: 'bool',
      executor: 'ExecutorConfig',
      nodeSelector: '{string}',
      affinity: 'object',
      tolerations: '[Toleration]',
      imagePullSecrets: '[LocalObjectReference]',
      hostNetwork: 'bool',
      dnsPolicy: 'string',
      dnsConfig: 'object',
      hostAliases: '[HostAlias]',
      schedulerName: 'string',
      podPriorityClassName: 'string',
      securityContext: 'PodSecurityContext',
      podSpecPatch: 'string',
      podDisruptionBudget: 'object',
      podResources: 'ResourceRequirements',
      resourceClaims: '[PodResourceClaim]',
    },
  },
  WorkflowTemplateRef: { models: argo('WorkflowTemplateRef'), fields: { name: 'string', clusterScope: 'bool' } },
  WorkflowMetadata: {
    models: argo('WorkflowMetadata'),
    fields: { labels: '{string}', annotations: '{string}', labelsFrom: '{LabelValueFrom}' },
  },
  LabelValueFrom: { models: argo('LabelValueFrom'), fields: { expression: 'string' }, required: ['expression'] },
  PodGC: {
    models: argo('PodGC'),
    fields: { strategy: 'string', labelSelector: 'LabelSelector', deleteDelayDuration: 'string' },
  },
  TTLStrategy: {
    models: argo('TTLStrategy'),
    fields: { secondsAfterCompletion: 'int', secondsAfterSuccess: 'int', secondsAfterFailure: 'int' },
  },
  VolumeClaimGC: { models: argo('VolumeClaimGC'), fields: { strategy: 'string' } },
  ArtifactRepositoryRef: { models: argo('ArtifactRepositoryRef'), fields: { configMap: 'string', key: 'string' } },
  WorkflowLevelArtifactGC: {
    models: argo('WorkflowLevelArtifactGC'),
    fields: {
      strategy: 'string',
      serviceAccountName: 'string',
      podMetadata: 'Metadata',
      forceFinalizerRemoval: 'bool',
      podSpecPatch: 'string',
    },
  },
  ExecutorPlugin: { models: argo('ExecutorPlugin'), fields: { metadata: 'ObjectMeta', spec: 'ExecutorPluginSpec' } },
  ExecutorPluginSpec: { models: argo('ExecutorPluginSpec'), fields: { sidecar: 'ExecutorPluginSidecar' } },
  ExecutorPluginSidecar: {
    models: argo('ExecutorPluginSidecar'),
    fields: { container: 'Container', automountServiceAccountToken: 'bool' },
  },

  CronWorkflowSpec: {
    models: argo('CronWorkflowSpec'),
    fields: {
      workflowSpec: 'WorkflowSpec',
      workflowMetadata: 'ObjectMeta',
      schedules: '[string]',
      schedule: 'string',
      timezone: 'string',
      concurrencyPolicy: 'string',
      startingDeadlineSeconds: 'int',
      successfulJobsHistoryLimit: 'int',
      failedJobsHistoryLimit: 'int',
      suspend: 'bool',
      when: 'string',
      stopStrategy: 'StopStrategy',
    },
    deprecated: { schedule: 'schedules' },
  },
  StopStrategy: { models: argo('StopStrategy'), fields: { expression: 'string' }, required: ['expression'] },

  WorkflowEventBindingSpec: {
    models: argo('WorkflowEventBindingSpec'),
    fields: { event: 'Event', submit: 'Submit' },
    required: ['event'],
  },
  Event: { models: argo('Event'), fields: { selector: 'string' }, required: ['selector'] },
  Submit: {
    models: argo('Submit'),
    fields: { workflowTemplateRef: 'WorkflowTemplateRef', metadata: 'ObjectMeta', arguments: 'Arguments' },
    required: ['workflowTemplateRef'],
  },
};
