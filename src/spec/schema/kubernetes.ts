// The Kubernetes (core/v1, meta/v1) objects that Argo embeds. The ones workflows write by hand
// (containers, env, volumes, probes, metadata) are spelled out so typos are caught; the large
// scheduling and storage-driver objects pass through as free maps, as a local runner ignores them.

import type { TypeSpec } from './notation.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;
const meta = (name: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;

/** Every field of a core/v1 Container; Argo's container variants add one or two of their own. */
export const CONTAINER_FIELDS: Record<string, string> = {
  name: 'string',
  image: 'string',
  command: '[string]',
  args: '[string]',
  workingDir: 'string',
  env: '[EnvVar]',
  envFrom: '[EnvFromSource]',
  ports: '[ContainerPort]',
  resources: 'ResourceRequirements',
  resizePolicy: '[ContainerResizePolicy]',
  restartPolicy: 'string',
  restartPolicyRules: '[object]',
  volumeMounts: '[VolumeMount]',
  volumeDevices: '[VolumeDevice]',
  livenessProbe: 'Probe',
  readinessProbe: 'Probe',
  startupProbe: 'Probe',
  lifecycle: 'object',
  terminationMessagePath: 'string',
  terminationMessagePolicy: 'string',
  imagePullPolicy: 'string',
  securityContext: 'SecurityContext',
  stdin: 'bool',
  stdinOnce: 'bool',
  tty: 'bool',
};

export const kubernetesTypes: Record<string, TypeSpec> = {
  ObjectMeta: {
    models: meta('ObjectMeta'),
    fields: {
      name: 'string',
      generateName: 'string',
      namespace: 'string',
      labels: '{string}',
      annotations: '{string}',
      uid: 'string',
      resourceVersion: 'string',
      generation: 'int',
      creationTimestamp: 'string',
      deletionTimestamp: 'string',
      deletionGracePeriodSeconds: 'int',
      finalizers: '[string]',
      ownerReferences: '[OwnerReference]',
      managedFields: '[object]',
      selfLink: 'string',
    },
  },
  OwnerReference: {
    models: meta('OwnerReference'),
    fields: { apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'bool', blockOwnerDeletion: 'bool' },
  },
  LabelSelector: {
    models: meta('LabelSelector'),
    fields: { matchLabels: '{string}', matchExpressions: '[LabelSelectorRequirement]' },
  },
  LabelSelectorRequirement: {
    models: meta('LabelSelectorRequirement'),
    fields: { key: 'string', operator: 'string', values: '[string]' },
  },

  Container: { models: core('Container'), fields: CONTAINER_FIELDS },
  EnvVar: { models: core('EnvVar'), fields: { name: 'string', value: 'string', valueFrom: 'EnvVarSource' }, required: ['name'] },
  EnvVarSource: {
    models: core('EnvVarSource'),
    fields: {
      configMapKeyRef: 'ConfigMapKeySelector',
      secretKeyRef: 'SecretKeySelector',
      fieldRef: 'ObjectFieldSelector',
      resourceFieldRef: 'ResourceFieldSelector',
      fileKeyRef: 'FileKeySelector',
    },
  },
  EnvFromSource: {
    models: core('EnvFromSource'),
    fields: { prefix: 'string', configMapRef: 'ConfigMapEnvSource', secretRef: 'SecretEnvSource' },
  },
  ConfigMapEnvSource: { models: core('ConfigMapEnvSource'), fields: { name: 'string', optional: 'bool' } },
  SecretEnvSource: { models: core('SecretEnvSource'), fields: { name: 'string', optional: 'bool' } },
  ConfigMapKeySelector: {
    models: core('ConfigMapKeySelector'),
    fields: { name: 'string', key: 'string', optional: 'bool' },
    required: ['key'],
  },
  SecretKeySelector: {
    models: core('SecretKeySelector'),
    fields: { name: 'string', key: 'string', optional: 'bool' },
    required: ['key'],
  },
  ObjectFieldSelector: { models: core('ObjectFieldSelector'), fields: { apiVersion: 'string', fieldPath: 'string' } },
  ResourceFieldSelector: {
    models: core('ResourceFieldSelector'),
    fields: { containerName: 'string', resource: 'string', divisor: 'quantity' },
  },
  FileKeySelector: {
    models: core('FileKeySelector'),
    fields: { volumeName: 'string', path: 'string', key: 'string', optional: 'bool' },
  },
  LocalObjectReference: { models: core('LocalObjectReference'), fields: { name: 'string' } },

  ContainerPort: {
    models: core('ContainerPort'),
    fields: { name: 'string', containerPort: 'int', hostPort: 'int', hostIP: 'string', protocol: 'string' },
  },
  ContainerResizePolicy: { models: core('ContainerResizePolicy'), fields: { resourceName: 'string', restartPolicy: 'string' } },
  ResourceRequirements: {
    models: core('ResourceRequirements'),
    fields: { limits: '{quantity}', requests: '{quantity}', claims: '[ResourceClaim]' },
  },
  ResourceClaim: { models: core('ResourceClaim'), fields: { name: 'string', request: 'string' } },
  VolumeMount: {
    models: core('VolumeMount'),
    fields: {
      name: 'string',
      mountPath: 'string',
      subPath: 'string',
      subPathExpr: 'string',
      readOnly: 'bool',
      recursiveReadOnly: 'string',
      mountPropagation: 'string',
    },
    required: ['name', 'mountPath'],
  },
  VolumeDevice: { models: core('VolumeDevice'), fields: { name: 'string', devicePath: 'string' } },

  Probe: {
    models: core('Probe'),
    fields: {
      exec: 'ExecAction',
      httpGet: 'HTTPGetAction',
      tcpSocket: 'TCPSocketAction',
      grpc: 'GRPCAction',
      initialDelaySeconds: 'int',
      periodSeconds: 'int',
      timeoutSeconds: 'int',
      successThreshold: 'int',
      failureThreshold: 'int',
      terminationGracePeriodSeconds: 'int',
    },
  },
  ExecAction: { models: core('ExecAction'), fields: { command: '[string]' } },
  HTTPGetAction: {
    models: core('HTTPGetAction'),
    fields: { path: 'string', port: 'intOrString', host: 'string', scheme: 'string', httpHeaders: '[ProbeHTTPHeader]' },
  },
  ProbeHTTPHeader: { models: core('HTTPHeader'), fields: { name: 'string', value: 'string' } },
  TCPSocketAction: { models: core('TCPSocketAction'), fields: { port: 'intOrString', host: 'string' } },
  GRPCAction: { models: core('GRPCAction'), fields: { port: 'int', service: 'string' } },

  SecurityContext: {
    models: core('SecurityContext'),
    fields: {
      runAsUser: 'int',
      runAsGroup: 'int',
      runAsNonRoot: 'bool',
      privileged: 'bool',
      allowPrivilegeEscalation: 'bool',
      readOnlyRootFilesystem: 'bool',
      capabilities: 'object',
      procMount: 'string',
      seLinuxOptions: 'object',
      seccompProfile: 'object',
      appArmorProfile: 'object',
      windowsOptions: 'object',
    },
  },
  PodSecurityContext: {
    models: core('PodSecurityContext'),
    fields: {
      runAsUser: 'int',
      runAsGroup: 'int',
      runAsNonRoot: 'bool',
      fsGroup: 'int',
      fsGroupChangePolicy: 'string',
      supplementalGroups: '[int]',
      supplementalGroupsPolicy: 'string',
      sysctls: '[object]',
      seLinuxChangePolicy: 'string',
      seLinuxOptions: 'object',
      seccompProfile: 'object',
      appArmorProfile: 'object',
      windowsOptions: 'object',
    },
  },
  Toleration: {
    models: core('Toleration'),
    fields: { key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: 'int' },
  },
  HostAlias: { models: core('HostAlias'), fields: { ip: 'string', hostnames: '[string]' } },
  PodResourceClaim: {
    models: core('PodResourceClaim'),
    fields: { name: 'string', resourceClaimName: 'string', resourceClaimTemplateName: 'string' },
  },

  // Volume sources a local runner materialises are spelled out; storage drivers pass through.
  Volume: {
    models: core('Volume'),
    required: ['name'],
    fields: {
      name: 'string',
      emptyDir: 'EmptyDirVolumeSource',
      hostPath: 'HostPathVolumeSource',
      persistentVolumeClaim: 'PersistentVolumeClaimVolumeSource',
      configMap: 'ConfigMapVolumeSource',
      secret: 'SecretVolumeSource',
      downwardAPI: 'DownwardAPIVolumeSource',
      projected: 'object',
      ephemeral: 'object',
      image: 'object',
      csi: 'object',
      nfs: 'object',
      iscsi: 'object',
      gitRepo: 'object',
      awsElasticBlockStore: 'object',
      azureDisk: 'object',
      azureFile: 'object',
      cephfs: 'object',
      cinder: 'object',
      fc: 'object',
      flexVolume: 'object',
      flocker: 'object',
      gcePersistentDisk: 'object',
      glusterfs: 'object',
      photonPersistentDisk: 'object',
      portworxVolume: 'object',
      quobyte: 'object',
      rbd: 'object',
      scaleIO: 'object',
      storageos: 'object',
      vsphereVolume: 'object',
    },
  },
  EmptyDirVolumeSource: { models: core('EmptyDirVolumeSource'), fields: { medium: 'string', sizeLimit: 'quantity' } },
  HostPathVolumeSource: { models: core('HostPathVolumeSource'), fields: { path: 'string', type: 'string' } },
  PersistentVolumeClaimVolumeSource: {
    models: core('PersistentVolumeClaimVolumeSource'),
    fields: { claimName: 'string', readOnly: 'bool' },
  },
  ConfigMapVolumeSource: {
    models: core('ConfigMapVolumeSource'),
    fields: { name: 'string', items: '[KeyToPath]', defaultMode: 'int', optional: 'bool' },
  },
  SecretVolumeSource: {
    models: core('SecretVolumeSource'),
    fields: { secretName: 'string', items: '[KeyToPath]', defaultMode: 'int', optional: 'bool' },
  },
  DownwardAPIVolumeSource: {
    models: core('DownwardAPIVolumeSource'),
    fields: { items: '[DownwardAPIVolumeFile]', defaultMode: 'int' },
  },
  DownwardAPIVolumeFile: {
    models: core('DownwardAPIVolumeFile'),
    fields: { path: 'string', fieldRef: 'ObjectFieldSelector', resourceFieldRef: 'ResourceFieldSelector', mode: 'int' },
  },
  KeyToPath: { models: core('KeyToPath'), fields: { key: 'string', path: 'string', mode: 'int' } },

  PersistentVolumeClaim: {
    models: core('PersistentVolumeClaim'),
    fields: { apiVersion: 'string', kind: 'string', metadata: 'ObjectMeta', spec: 'PersistentVolumeClaimSpec', status: 'any' },
  },
  PersistentVolumeClaimSpec: {
    models: core('PersistentVolumeClaimSpec'),
    fields: {
      accessModes: '[string]',
      resources: 'VolumeResourceRequirements',
      storageClassName: 'string',
      volumeMode: 'string',
      volumeName: 'string',
      selector: 'LabelSelector',
      dataSource: 'object',
      dataSourceRef: 'object',
      volumeAttributesClassName: 'string',
    },
  },
  VolumeResourceRequirements: {
    models: core('VolumeResourceRequirements'),
    fields: { limits: '{quantity}', requests: '{quantity}' },
  },

  // Not in Argo's schema.json: argot reads ConfigMaps for parameters, semaphores and memoization.
  ConfigMap: {
    fields: { apiVersion: 'string', kind: 'string', metadata: 'ObjectMeta', data: '{string}', binaryData: '{string}', immutable: 'bool' },
  },
};
