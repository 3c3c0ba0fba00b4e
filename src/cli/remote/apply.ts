// `argot apply -f FILE…`: kubectl's habit for the things workflows depend on. Each object is
// created, or replaced when it already exists. ConfigMaps go to argot's own endpoint (Argo Server
// has none; see configMapShape in the client). Objects are sent dependencies first, so a template a
// cron workflow refers to exists before the cron workflow does.

import type { Command } from 'commander';
import type { Resource } from '../../spec/types.js';
import { ApiError, type ResourceApi } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { readManifests } from './manifests.js';
import { namespaceOption } from './options.js';

const ORDER: Record<Resource['kind'], number> = { ConfigMap: 0, ClusterWorkflowTemplate: 1, WorkflowTemplate: 2, CronWorkflow: 3, Workflow: 4 };

// kubectl's `TYPE/NAME` words.
const TYPE: Record<Resource['kind'], string> = {
  ConfigMap: 'configmap',
  ClusterWorkflowTemplate: 'clusterworkflowtemplate.argoproj.io',
  WorkflowTemplate: 'workflowtemplate.argoproj.io',
  CronWorkflow: 'cronworkflow.argoproj.io',
  Workflow: 'workflow.argoproj.io',
};

type Upsertable = Exclude<Resource, { kind: 'Workflow' }>;

/** Create, or on "already exists" replace at the current resourceVersion. */
async function upsert<T extends Upsertable>(api: ResourceApi<T>, namespace: string, object: T): Promise<'created' | 'configured'> {
  try {
    await api.create(namespace, object);
    return 'created';
  } catch (err) {
    if (!(err instanceof ApiError) || !err.alreadyExists) throw err;
  }
  const name = object.metadata.name ?? '';
  let resourceVersion: string | undefined;
  try {
    resourceVersion = (await api.get(namespace, name)).metadata.resourceVersion;
  } catch (err) {
    // A server without a GET for this kind (argot's ConfigMap endpoint may lack one) replaces unconditionally.
    if (!(err instanceof ApiError) || !(err.notFound || err.status === 405)) throw err;
  }
  await api.update(namespace, { ...object, metadata: { ...object.metadata, ...(resourceVersion && { resourceVersion }) } });
  return 'configured';
}

export function registerApplyCommand(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('apply')
      .description('Create or update ConfigMaps, templates and cron workflows on the server from files (Workflows are created)')
      .argument('[files...]', 'manifests (also -f)')
      .option('-f, --filename <files...>', 'manifests: paths or - for stdin')
      .option('--dry-run', 'lint and print what would be sent, send nothing'),
    ctx,
  ).action(
    ctx.action(async (positional: string[], opts: { namespace?: string; filename?: string[]; dryRun?: boolean }) => {
      const files = [...(opts.filename ?? []), ...positional];
      if (files.length === 0) throw new CommandError('nothing to apply: give files with -f');
      const manifests = (await readManifests(ctx, files)).sort((a, b) => ORDER[a.resource.kind] - ORDER[b.resource.kind]);
      const client = ctx.client;
      for (const { resource } of manifests) {
        const namespace = resource.kind === 'ClusterWorkflowTemplate' ? '' : ctx.namespace(opts, resource.metadata.namespace);
        if (namespace) resource.metadata.namespace = namespace;
        const label = `${TYPE[resource.kind]}/${resource.metadata.name ?? resource.metadata.generateName ?? ''}`;
        if (opts.dryRun) {
          ctx.out(`${label} (dry run)\n`);
          continue;
        }
        let outcome: string;
        switch (resource.kind) {
          case 'Workflow': {
            const created = await client.workflows.create(namespace, resource);
            ctx.out(`${TYPE.Workflow}/${created.metadata.name ?? ''} created\n`);
            continue;
          }
          case 'ConfigMap':
            outcome = await upsert(client.configMaps, namespace, resource).catch((err: unknown) => {
              if (err instanceof ApiError && err.notFound && err.operation === 'create') {
                throw new CommandError(`${label}: the server has no ConfigMap endpoint (${err.request} is argot's own; against Argo Server, use kubectl)`);
              }
              throw err;
            });
            break;
          case 'WorkflowTemplate':
            outcome = await upsert(client.workflowTemplates, namespace, resource);
            break;
          case 'ClusterWorkflowTemplate':
            outcome = await upsert(client.clusterWorkflowTemplates, namespace, resource);
            break;
          case 'CronWorkflow':
            outcome = await upsert(client.cronWorkflows, namespace, resource);
            break;
        }
        ctx.out(`${label} ${outcome}\n`);
      }
    }),
  );
}
