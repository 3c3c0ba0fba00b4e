// Templates and what they are made of: the template kinds, steps and DAG tasks, parameters,
// retries, memoization and metrics.

import { CONTAINER_FIELDS } from './kubernetes.js';
import type { TypeSpec } from './notation.js';

const argo = (name: string) => `io.argoproj.workflow.v1alpha1.${name}`;

export const templateTypes: Record<string, TypeSpec> = {
  Template: {
    models: argo('Template'),
    fields: {
      name: 'string',
      inputs: 'Inputs',
      outputs: 'Outputs',
      // exactly one of the template kinds
      container: 'Container',
      script: 'ScriptTemplate',
      containerSet: 'ContainerSetTemplate',
      steps: '[[WorkflowStep]]',
      dag: 'DAGTemplate',
      suspend: 'SuspendTemplate',
      resource: 'ResourceTemplate',
      http: 'HTTP',
      data: 'Data',
      plugin: 'object',
      // behaviour
      daemon: 'bool',
      retryStrategy: 'RetryStrategy',
      activeDeadlineSeconds: 'intOrString',
      timeout: 'string',
      pendingTimeout: 'string',
      parallelism: 'int',
      failFast: 'bool',
      synchronization: 'Synchronization',
      memoize: 'Memoize',
      metrics: 'Metrics',
      archiveLocation: 'ArtifactLocation',
      annotations: '{string}',
      // the pod around it
      metadata: 'Metadata',
      initContainers: '[UserContainer]',
      sidecars: '[UserContainer]',
      volumes: '[Volume]',
      executor: 'ExecutorConfig',
      serviceAccountName: 'string',
      automountServiceAccountToken: 'bool',
      nodeSelector: '{string}',
      affinity: 'object',
      tolerations: '[Toleration]',
      schedulerName: 'string',
      priorityClassName: 'string',
      hostAliases: '[HostAlias]',
      securityContext: 'PodSecurityContext',
      podSpecPatch: 'string',
      podResources: 'ResourceRequirements',
      resourceClaims: '[PodResourceClaim]',
    },
  },
  Inputs: { models: argo('Inputs'), fields: { parameters: '[Parameter]', artifacts: '[Artifact]' } },
  Outputs: {
    models: argo('Outputs'),
    fields: { parameters: '[Parameter]', artifacts: '[Artifact]', result: 'string', exitCode: 'string' },
  },
  Arguments: { models: argo('Arguments'), fields: { parameters: '[Parameter]', artifacts: '[Artifact]' } },
  Parameter: {
    models: argo('Parameter'),
    required: ['name'],
    fields: {
      name: 'string',
      value: 'anyString',
      default: 'anyString',
      enum: '[anyString]',
      description: 'anyString',
      globalName: 'string',
      valueFrom: 'ValueFrom',
    },
  },
  ValueFrom: {
    models: argo('ValueFrom'),
    fields: {
      path: 'string',
      default: 'anyString',
      parameter: 'string',
      expression: 'string',
      supplied: 'SuppliedValueFrom',
      configMapKeyRef: 'ConfigMapKeySelector',
      jsonPath: 'string',
      jqFilter: 'string',
      event: 'string',
    },
  },
  SuppliedValueFrom: { models: argo('SuppliedValueFrom'), fields: {} },

  ScriptTemplate: { models: argo('ScriptTemplate'), fields: { ...CONTAINER_FIELDS, source: 'string' } },
  UserContainer: { models: argo('UserContainer'), fields: { ...CONTAINER_FIELDS, mirrorVolumeMounts: 'bool' }, required: ['name'] },
  ContainerSetTemplate: {
    models: argo('ContainerSetTemplate'),
    fields: { containers: '[ContainerNode]', volumeMounts: '[VolumeMount]', retryStrategy: 'ContainerSetRetryStrategy' },
  },
  ContainerNode: { models: argo('ContainerNode'), fields: { ...CONTAINER_FIELDS, dependencies: '[string]' }, required: ['name'] },
  ContainerSetRetryStrategy: {
    models: argo('ContainerSetRetryStrategy'),
    fields: { retries: 'intOrString', duration: 'string' },
  },
  SuspendTemplate: { models: argo('SuspendTemplate'), fields: { duration: 'string' } },
  ResourceTemplate: {
    models: argo('ResourceTemplate'),
    fields: {
      action: 'string',
      manifest: 'string',
      manifestFrom: 'ManifestFrom',
      mergeStrategy: 'string',
      successCondition: 'string',
      failureCondition: 'string',
      setOwnerReference: 'bool',
      flags: '[string]',
    },
  },
  ManifestFrom: { models: argo('ManifestFrom'), fields: { artifact: 'Artifact' } },
  HTTP: {
    models: argo('HTTP'),
    fields: {
      method: 'string',
      url: 'string',
      headers: '[HTTPHeader]',
      body: 'string',
      bodyFrom: 'HTTPBodySource',
      timeoutSeconds: 'int',
      successCondition: 'string',
      insecureSkipVerify: 'bool',
    },
  },
  HTTPHeader: { models: argo('HTTPHeader'), fields: { name: 'string', value: 'string', valueFrom: 'HTTPHeaderSource' } },
  HTTPHeaderSource: { models: argo('HTTPHeaderSource'), fields: { secretKeyRef: 'SecretKeySelector' } },
  HTTPBodySource: { models: argo('HTTPBodySource'), fields: { bytes: 'string' } },
  Data: { models: argo('Data'), fields: { source: 'DataSource', transformation: '[TransformationStep]' } },
  DataSource: { models: argo('DataSource'), fields: { artifactPaths: 'ArtifactPaths' } },
  TransformationStep: { models: argo('TransformationStep'), fields: { expression: 'string' } },

  WorkflowStep: { models: argo('WorkflowStep'), fields: invocationFields() },
  DAGTemplate: { models: argo('DAGTemplate'), fields: { tasks: '[DAGTask]', target: 'string', failFast: 'bool' } },
  DAGTask: {
    models: argo('DAGTask'),
    fields: { ...invocationFields(), dependencies: '[string]', depends: 'string' },
  },
  TemplateRef: { models: argo('TemplateRef'), fields: { name: 'string', template: 'string', clusterScope: 'bool' } },
  ContinueOn: { models: argo('ContinueOn'), fields: { failed: 'bool', error: 'bool' } },
  Sequence: {
    models: argo('Sequence'),
    fields: { count: 'intOrString', start: 'intOrString', end: 'intOrString', format: 'string' },
  },
  LifecycleHook: {
    models: argo('LifecycleHook'),
    fields: { template: 'string', templateRef: 'TemplateRef', arguments: 'Arguments', expression: 'string' },
  },

  RetryStrategy: {
    models: argo('RetryStrategy'),
    fields: {
      limit: 'intOrString',
      retryPolicy: 'string',
      backoff: 'Backoff',
      expression: 'string',
      affinity: 'RetryAffinity',
    },
  },
  Backoff: {
    models: argo('Backoff'),
    fields: { duration: 'string', factor: 'intOrString', maxDuration: 'string', cap: 'string' },
  },
  RetryAffinity: { models: argo('RetryAffinity'), fields: { nodeAntiAffinity: 'RetryNodeAntiAffinity' } },
  RetryNodeAntiAffinity: { models: argo('RetryNodeAntiAffinity'), fields: {} },

  Memoize: {
    models: argo('Memoize'),
    fields: { key: 'string', cache: 'Cache', maxAge: 'string' },
    required: ['key', 'cache'],
  },
  Cache: { models: argo('Cache'), fields: { configMap: 'LocalObjectReference' }, required: ['configMap'] },

  Metrics: { models: argo('Metrics'), fields: { prometheus: '[Prometheus]' } },
  Prometheus: {
    models: argo('Prometheus'),
    required: ['name', 'help'],
    fields: {
      name: 'string',
      help: 'string',
      labels: '[MetricLabel]',
      when: 'string',
      gauge: 'Gauge',
      counter: 'Counter',
      histogram: 'Histogram',
    },
  },
  MetricLabel: { models: argo('MetricLabel'), fields: { key: 'string', value: 'string' }, required: ['key', 'value'] },
  Gauge: { models: argo('Gauge'), fields: { value: 'string', realtime: 'bool', operation: 'string' } },
  Counter: { models: argo('Counter'), fields: { value: 'string' } },
  Histogram: { models: argo('Histogram'), fields: { value: 'string', buckets: '[number]' } },

  Synchronization: {
    models: argo('Synchronization'),
    fields: { mutexes: '[Mutex]', semaphores: '[SemaphoreRef]', mutex: 'Mutex', semaphore: 'SemaphoreRef' },
    deprecated: { mutex: 'mutexes', semaphore: 'semaphores' },
  },
  Mutex: { models: argo('Mutex'), fields: { name: 'string', namespace: 'string', database: 'bool' } },
  SemaphoreRef: {
    models: argo('SemaphoreRef'),
    fields: { configMapKeyRef: 'ConfigMapKeySelector', database: 'SyncDatabaseRef', namespace: 'string' },
  },
  SyncDatabaseRef: { models: argo('SyncDatabaseRef'), fields: { key: 'string' }, required: ['key'] },

  Metadata: { models: argo('Metadata'), fields: { labels: '{string}', annotations: '{string}' } },
  ExecutorConfig: { models: argo('ExecutorConfig'), fields: { serviceAccountName: 'string' } },
};

/** What a step and a DAG task share. */
function invocationFields(): Record<string, string> {
  return {
    name: 'string',
    template: 'string',
    templateRef: 'TemplateRef',
    inline: 'Template',
    arguments: 'Arguments',
    withItems: '[any]',
    withParam: 'string',
    withSequence: 'Sequence',
    when: 'string',
    continueOn: 'ContinueOn',
    onExit: 'string',
    hooks: '{LifecycleHook}',
  };
}
