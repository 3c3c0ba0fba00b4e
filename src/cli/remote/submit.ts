// `argot submit`: workflow files (linted locally, then created on the server) or `--from` a
// template or cron workflow the server has. Submit options are applied to files here, before
// sending, as argo's CLI does; for `--from` the server applies them.

import type { Command } from 'commander';
import type { Workflow } from '../../spec/types.js';
import type { SubmitOptions } from '../client/index.js';
import { applyParameters, collectParameters } from '../commands/parameters.js';
import { CommandError, type RemoteContext } from './context.js';
import { outputFormat, printWorkflow } from './format.js';
import { manifestsOfKind, readManifests } from './manifests.js';
import { collect, integer, namespaceOption, parseLabels } from './options.js';
import { followUp } from './watch.js';

// Every spelling argo's server accepts for `--from`, to the kind's lowercase singular.
const FROM_KINDS: Record<string, string> = {
  workflowtemplate: 'workflowtemplate',
  workflowtemplates: 'workflowtemplate',
  wftmpl: 'workflowtemplate',
  clusterworkflowtemplate: 'clusterworkflowtemplate',
  clusterworkflowtemplates: 'clusterworkflowtemplate',
  cwftmpl: 'clusterworkflowtemplate',
  cwft: 'clusterworkflowtemplate',
  cronworkflow: 'cronworkflow',
  cronworkflows: 'cronworkflow',
  cronwf: 'cronworkflow',
  cwf: 'cronworkflow',
};

export function parseFrom(from: string): { kind: string; name: string } {
  const slash = from.indexOf('/');
  const kind = FROM_KINDS[from.slice(0, Math.max(slash, 0)).toLowerCase()];
  const name = from.slice(slash + 1);
  if (slash <= 0 || !kind || name === '') {
    throw new CommandError(`--from ${from}: expected KIND/NAME with KIND one of wftmpl (workflowtemplate), cwftmpl (clusterworkflowtemplate), cronwf (cronworkflow)`);
  }
  return { kind, name };
}

interface SubmitFlags {
  namespace?: string;
  from?: string;
  parameter: string[];
  parameterFile?: string;
  entrypoint?: string;
  name?: string;
  generateName?: string;
  labels?: string;
  serviceaccount?: string;
  priority?: number;
  wait?: boolean;
  watch?: boolean;
  log?: boolean;
  output?: string;
  dryRun?: boolean;
  serverDryRun?: boolean;
  utf8: boolean;
  color: boolean;
}

function applySubmitOptions(wf: Workflow, opts: SubmitFlags, params: Map<string, string>, labels: Record<string, string>): void {
  applyParameters(wf, params);
  if (opts.entrypoint) wf.spec.entrypoint = opts.entrypoint;
  if (opts.serviceaccount) wf.spec.serviceAccountName = opts.serviceaccount;
  if (opts.priority !== undefined) wf.spec.priority = opts.priority;
  if (opts.generateName) wf.metadata.generateName = opts.generateName;
  if (opts.name) wf.metadata.name = opts.name;
  if (Object.keys(labels).length) wf.metadata.labels = { ...wf.metadata.labels, ...labels };
}

export function registerSubmitCommand(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('submit')
      .description('Submit workflows to the server: from files (linted first), or --from a template or cron workflow')
      .argument('[files...]', 'workflow manifests: paths, http(s) URLs, or - for stdin')
      .option('--from <kind/name>', 'submit from wftmpl/NAME, cwftmpl/NAME or cronwf/NAME')
      .option('-p, --parameter <name=value>', 'input parameter (repeatable)', collect, [])
      .option('-f, --parameter-file <file>', 'YAML or JSON map of parameters')
      .option('--entrypoint <template>', 'override spec.entrypoint')
      .option('--name <name>', 'override metadata.name')
      .option('--generate-name <prefix>', 'override metadata.generateName')
      .option('-l, --labels <labels>', 'add labels, a=b,c=d')
      .option('--serviceaccount <name>', 'run pods as this service account')
      .option('--priority <n>', 'workflow priority', integer)
      .option('-w, --wait', 'wait for the workflows; exit 1 unless all Succeeded')
      .option('--watch', 'show the workflows until they finish')
      .option('--log', 'print the logs as they run')
      .option('-o, --output <format>', 'name, json, yaml or wide (default: the node tree)')
      .option('--dry-run', 'print the workflows without submitting them')
      .option('--server-dry-run', 'have the server validate and default them without creating them')
      .option('--no-utf8', 'ASCII icons and tree lines')
      .option('--no-color', 'no colour'),
    ctx,
  ).action(
    ctx.action(async (files: string[], opts: SubmitFlags) => {
      const format = outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
      if (files.length > 0 && opts.from) throw new CommandError('give workflow files or --from, not both');
      if (files.length === 0 && !opts.from) throw new CommandError('nothing to submit: give workflow files, - for stdin, or --from KIND/NAME');
      const params = await collectParameters(opts.parameter, opts.parameterFile);
      const labels = parseLabels(opts.labels);
      const created: Workflow[] = [];

      if (opts.from) {
        const { kind, name } = parseFrom(opts.from);
        const submitOptions: SubmitOptions = {};
        if (params.size) submitOptions.parameters = [...params].map(([k, v]) => `${k}=${v}`);
        if (opts.entrypoint) submitOptions.entryPoint = opts.entrypoint;
        if (opts.labels) submitOptions.labels = opts.labels;
        if (opts.generateName) submitOptions.generateName = opts.generateName;
        if (opts.name) submitOptions.name = opts.name;
        if (opts.serviceaccount) submitOptions.serviceAccount = opts.serviceaccount;
        if (opts.priority !== undefined) submitOptions.priority = opts.priority;
        if (opts.dryRun) submitOptions.dryRun = true;
        if (opts.serverDryRun) submitOptions.serverDryRun = true;
        created.push(await ctx.client.workflows.submit(ctx.namespace(opts), { resourceKind: kind, resourceName: name, submitOptions }));
      } else {
        const manifests = manifestsOfKind(await readManifests(ctx, files), 'Workflow', 'submit runs Workflows; use "argot apply" for templates and cron workflows');
        for (const { resource: wf } of manifests) {
          applySubmitOptions(wf, opts, params, labels);
          const namespace = ctx.namespace(opts, wf.metadata.namespace);
          wf.metadata.namespace = namespace;
          if (opts.dryRun) created.push(wf);
          else created.push(await ctx.client.workflows.create(namespace, wf, { ...(opts.serverDryRun && { serverDryRun: true }) }));
        }
      }

      for (const wf of created) if (!(opts.watch && format === 'default')) printWorkflow(ctx, wf, format, opts);
      if (opts.dryRun || opts.serverDryRun) return 0;
      const targets = created.map((wf) => ({ namespace: wf.metadata.namespace || ctx.namespace(opts), name: wf.metadata.name ?? '' }));
      return followUp(ctx, targets, { ...opts, quiet: format === 'name' || format === 'json' || format === 'yaml' });
    }),
  );
}
