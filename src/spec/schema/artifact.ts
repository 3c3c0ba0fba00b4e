// Artifacts and the places they live (S3, git, HTTP, raw, GCS, Azure, OSS, HDFS, Artifactory,
// plugins), plus how they are archived and garbage-collected.

import type { TypeSpec } from './notation.js';

const argo = (name: string) => `io.argoproj.workflow.v1alpha1.${name}`;

/** One key per storage kind; an artifact or an archive location names at most one of them. */
const LOCATION_FIELDS: Record<string, string> = {
  s3: 'S3Artifact',
  git: 'GitArtifact',
  http: 'HTTPArtifact',
  raw: 'RawArtifact',
  gcs: 'GCSArtifact',
  azure: 'AzureArtifact',
  oss: 'OSSArtifact',
  hdfs: 'HDFSArtifact',
  artifactory: 'ArtifactoryArtifact',
  plugin: 'PluginArtifact',
};

const ARTIFACT_FIELDS: Record<string, string> = {
  name: 'string',
  path: 'string',
  mode: 'int',
  from: 'string',
  fromExpression: 'string',
  subPath: 'string',
  optional: 'bool',
  globalName: 'string',
  archive: 'ArchiveStrategy',
  archiveLogs: 'bool',
  recurseMode: 'bool',
  artifactGC: 'ArtifactGC',
  deleted: 'bool',
  ...LOCATION_FIELDS,
};

export const artifactTypes: Record<string, TypeSpec> = {
  Artifact: { models: argo('Artifact'), fields: ARTIFACT_FIELDS, required: ['name'] },
  // The data template's source: the same shape, listed instead of fetched.
  ArtifactPaths: { models: argo('ArtifactPaths'), fields: ARTIFACT_FIELDS, required: ['name'] },
  ArtifactLocation: { models: argo('ArtifactLocation'), fields: { archiveLogs: 'bool', ...LOCATION_FIELDS } },
  ArtifactGC: {
    models: argo('ArtifactGC'),
    fields: { strategy: 'string', serviceAccountName: 'string', podMetadata: 'Metadata' },
  },
  ArchiveStrategy: { models: argo('ArchiveStrategy'), fields: { none: 'NoneStrategy', tar: 'TarStrategy', zip: 'ZipStrategy' } },
  NoneStrategy: { models: argo('NoneStrategy'), fields: {} },
  TarStrategy: { models: argo('TarStrategy'), fields: { compressionLevel: 'int' } },
  ZipStrategy: { models: argo('ZipStrategy'), fields: {} },

  S3Artifact: {
    models: argo('S3Artifact'),
    fields: {
      endpoint: 'string',
      bucket: 'string',
      key: 'string',
      region: 'string',
      insecure: 'bool',
      accessKeySecret: 'SecretKeySelector',
      secretKeySecret: 'SecretKeySelector',
      sessionTokenSecret: 'SecretKeySelector',
      caSecret: 'SecretKeySelector',
      roleARN: 'string',
      useSDKCreds: 'bool',
      addressingStyle: 'string',
      createBucketIfNotPresent: 'CreateS3BucketOptions',
      encryptionOptions: 'S3EncryptionOptions',
    },
  },
  CreateS3BucketOptions: { models: argo('CreateS3BucketOptions'), fields: { objectLocking: 'bool' } },
  S3EncryptionOptions: {
    models: argo('S3EncryptionOptions'),
    fields: {
      enableEncryption: 'bool',
      kmsKeyId: 'string',
      kmsEncryptionContext: 'string',
      serverSideCustomerKeySecret: 'SecretKeySelector',
    },
  },
  GitArtifact: {
    models: argo('GitArtifact'),
    required: ['repo'],
    fields: {
      repo: 'string',
      revision: 'string',
      branch: 'string',
      depth: 'int',
      fetch: '[string]',
      singleBranch: 'bool',
      disableSubmodules: 'bool',
      insecureIgnoreHostKey: 'bool',
      insecureSkipTLS: 'bool',
      usernameSecret: 'SecretKeySelector',
      passwordSecret: 'SecretKeySelector',
      sshPrivateKeySecret: 'SecretKeySelector',
    },
  },
  HTTPArtifact: {
    models: argo('HTTPArtifact'),
    fields: { url: 'string', headers: '[Header]', auth: 'HTTPAuth', saveStreamViaFile: 'bool' },
    required: ['url'],
  },
  Header: { models: argo('Header'), fields: { name: 'string', value: 'string' }, required: ['name', 'value'] },
  HTTPAuth: {
    models: argo('HTTPAuth'),
    fields: { basicAuth: 'BasicAuth', clientCert: 'ClientCertAuth', oauth2: 'OAuth2Auth' },
  },
  BasicAuth: {
    models: argo('BasicAuth'),
    fields: { usernameSecret: 'SecretKeySelector', passwordSecret: 'SecretKeySelector' },
  },
  ClientCertAuth: {
    models: argo('ClientCertAuth'),
    fields: { clientCertSecret: 'SecretKeySelector', clientKeySecret: 'SecretKeySelector' },
  },
  OAuth2Auth: {
    models: argo('OAuth2Auth'),
    fields: {
      clientIDSecret: 'SecretKeySelector',
      clientSecretSecret: 'SecretKeySelector',
      tokenURLSecret: 'SecretKeySelector',
      scopes: '[string]',
      endpointParams: '[OAuth2EndpointParam]',
    },
  },
  OAuth2EndpointParam: { models: argo('OAuth2EndpointParam'), fields: { key: 'string', value: 'string' }, required: ['key'] },
  RawArtifact: { models: argo('RawArtifact'), fields: { data: 'string' }, required: ['data'] },
  GCSArtifact: {
    models: argo('GCSArtifact'),
    fields: { bucket: 'string', key: 'string', serviceAccountKeySecret: 'SecretKeySelector' },
  },
  AzureArtifact: {
    models: argo('AzureArtifact'),
    fields: { endpoint: 'string', container: 'string', blob: 'string', accountKeySecret: 'SecretKeySelector', useSDKCreds: 'bool' },
  },
  OSSArtifact: {
    models: argo('OSSArtifact'),
    fields: {
      endpoint: 'string',
      bucket: 'string',
      key: 'string',
      accessKeySecret: 'SecretKeySelector',
      secretKeySecret: 'SecretKeySelector',
      securityToken: 'string',
      useSDKCreds: 'bool',
      createBucketIfNotPresent: 'bool',
      lifecycleRule: 'OSSLifecycleRule',
    },
  },
  OSSLifecycleRule: {
    models: argo('OSSLifecycleRule'),
    fields: { markInfrequentAccessAfterDays: 'int', markDeletionAfterDays: 'int' },
  },
  HDFSArtifact: {
    models: argo('HDFSArtifact'),
    fields: {
      path: 'string',
      force: 'bool',
      addresses: '[string]',
      hdfsUser: 'string',
      dataTransferProtection: 'string',
      krbCCacheSecret: 'SecretKeySelector',
      krbKeytabSecret: 'SecretKeySelector',
      krbUsername: 'string',
      krbRealm: 'string',
      krbConfigConfigMap: 'ConfigMapKeySelector',
      krbServicePrincipalName: 'string',
    },
  },
  ArtifactoryArtifact: {
    models: argo('ArtifactoryArtifact'),
    fields: { url: 'string', usernameSecret: 'SecretKeySelector', passwordSecret: 'SecretKeySelector' },
  },
  PluginArtifact: {
    models: argo('PluginArtifact'),
    fields: { name: 'string', configuration: 'string', connectionTimeoutSeconds: 'int', key: 'string' },
  },
};
