// The Workflow a CronWorkflow creates for one scheduled time (Argo's
// ConvertCronWorkflowToWorkflowWithProperties). The name is a function of the scheduled time, so a
// second attempt at the same time — after a restart, or a lost status write — collides instead of
// running twice.

import type { CronWorkflow, ObjectMeta, Workflow } from '../spec/types.js';
import { CRON_WORKFLOW_LABEL, rfc3339, SCHEDULED_TIME_ANNOTATION } from './status.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** ObjectMeta with the owner references argot's spec types leave out. */
export type OwnedObjectMeta = ObjectMeta & { ownerReferences?: OwnerReference[] };

const CONTROLLER_INSTANCE_LABEL = 'workflows.argoproj.io/controller-instanceid';

/** `<cron-name>-<unix seconds>`, Argo's getChildWorkflowName. */
export function runName(cronName: string, scheduledTime: Date): string {
  return `${cronName}-${Math.floor(scheduledTime.getTime() / 1000)}`;
}

export function workflowForRun(cron: CronWorkflow, scheduledTime: Date): Workflow {
  const name = cron.metadata.name ?? '';
  const template = cron.spec.workflowMetadata;
  const labels: Record<string, string> = {};
  const instanceId = cron.metadata.labels?.[CONTROLLER_INSTANCE_LABEL];
  if (instanceId !== undefined) labels[CONTROLLER_INSTANCE_LABEL] = instanceId;
  Object.assign(labels, template?.labels);
  // Last, so workflowMetadata cannot disown the run: the label is how runs are found again.
  labels[CRON_WORKFLOW_LABEL] = name;

  const metadata: OwnedObjectMeta = {
    name: runName(name, scheduledTime),
    labels,
    annotations: { ...template?.annotations, [SCHEDULED_TIME_ANNOTATION]: rfc3339(scheduledTime) },
  };
  if (cron.metadata.namespace !== undefined) metadata.namespace = cron.metadata.namespace;
  if (cron.metadata.uid !== undefined) {
    metadata.ownerReferences = [
      { apiVersion: cron.apiVersion, kind: 'CronWorkflow', name, uid: cron.metadata.uid, controller: true, blockOwnerDeletion: true },
    ];
  }
  return { apiVersion: cron.apiVersion, kind: 'Workflow', metadata, spec: structuredClone(cron.spec.workflowSpec) };
}
