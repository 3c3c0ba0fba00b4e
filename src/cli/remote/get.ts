// `argot get` and `argot list` against the server.

import type { Command } from 'commander';
import type { Workflow } from '../../spec/types.js';
import type { ListQuery } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { compareWorkflows, outputFormat, printStructured, printWorkflow, workflowTable } from './format.js';
import { namespaceOption, nonNegativeInt } from './options.js';
import { resolveWorkflowName } from './resolve.js';

// What the table shows; the rest (nodes above all) can be megabytes per workflow.
const TABLE_FIELDS = [
  'metadata',
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.creationTimestamp',
  'items.metadata.labels',
  'items.spec.priority',
  'items.spec.suspend',
  'items.spec.shutdown',
  'items.status.phase',
  'items.status.message',
  'items.status.startedAt',
  'items.status.finishedAt',
  'items.status.progress',
].join(',');
const NAME_FIELDS = 'metadata,items.metadata.name,items.metadata.namespace';

export const PHASE_LABEL = 'workflows.argoproj.io/phase';
export const COMPLETED_LABEL = 'workflows.argoproj.io/completed';

export interface SelectionOptions {
  selector?: string;
  fieldSelector?: string;
  running?: boolean;
  completed?: boolean;
  status?: string;
  prefix?: string;
}

/** argo's flags to a label selector: phases and completion are labels the controller keeps. */
export function selectionQuery(opts: SelectionOptions): ListQuery {
  const terms: string[] = [];
  if (opts.selector) terms.push(opts.selector);
  if (opts.status) {
    const phases = opts.status.split(',').map((p) => p.trim()).filter(Boolean);
    if (phases.length) terms.push(`${PHASE_LABEL} in (${phases.join(',')})`);
  }
  if (opts.completed) terms.push(`${COMPLETED_LABEL}=true`);
  if (opts.running) terms.push(`${COMPLETED_LABEL}!=true`);
  const query: ListQuery = {};
  if (terms.length) query.labelSelector = terms.join(',');
  if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector;
  if (opts.prefix) {
    query.nameFilter = 'Prefix';
    query.namePrefix = opts.prefix;
  }
  return query;
}

/** Every page (or just the first `limit` items); `prefix` is applied here too, for servers that ignore it. */
export async function listWorkflows(ctx: RemoteContext, namespace: string, query: ListQuery, opts: { limit?: number; chunkSize?: number } = {}): Promise<Workflow[]> {
  const items: Workflow[] = [];
  let token: string | undefined;
  do {
    const limit = opts.limit !== undefined ? opts.limit - items.length : opts.chunkSize;
    const page = await ctx.client.workflows.list(namespace, { ...query, ...(limit && { limit }), ...(token && { continue: token }) });
    items.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token && (opts.limit === undefined || items.length < opts.limit));
  const prefix = query.namePrefix;
  const matching = prefix ? items.filter((wf) => (wf.metadata.name ?? '').startsWith(prefix)) : items;
  return opts.limit !== undefined ? matching.slice(0, opts.limit) : matching;
}

interface ListOptions extends SelectionOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string;
  limit?: number;
  chunkSize?: number;
  headers: boolean;
}

interface GetOptions {
  namespace?: string;
  output?: string;
  utf8: boolean;
  color: boolean;
}

export function registerGetCommands(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('get')
      .description('Show workflows from the server')
      .argument('<names...>', 'workflow names, or @latest')
      .option('-o, --output <format>', 'name, json, yaml or wide (default: the node tree)')
      .option('--no-utf8', 'ASCII icons and tree lines')
      .option('--no-color', 'no colour'),
    ctx,
  ).action(
    ctx.action(async (names: string[], opts: GetOptions) => {
      const format = outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
      const namespace = ctx.namespace(opts);
      for (const name of names) {
        const wf = await ctx.client.workflows.get(namespace, await resolveWorkflowName(ctx.client, namespace, name));
        printWorkflow(ctx, wf, format, opts);
      }
    }),
  );

  namespaceOption(
    program
      .command('list')
      .alias('ls')
      .description('List workflows on the server, newest and unfinished first')
      .option('-A, --all-namespaces', 'every namespace')
      .option('--running', 'only unfinished workflows')
      .option('--completed', 'only finished workflows')
      .option('--status <phases>', 'only these phases, comma-separated: Pending,Running,Succeeded,Failed,Error')
      .option('-l, --selector <selector>', 'label selector: a=b,c!=d,e in (x,y)')
      .option('--field-selector <selector>', 'field selector: metadata.name=x, metadata.namespace=y')
      .option('--prefix <prefix>', 'only names starting with this')
      .option('--limit <n>', 'at most this many', nonNegativeInt)
      .option('--chunk-size <n>', 'page size when fetching (default: the server decides)', nonNegativeInt)
      .option('--no-headers', 'no header line')
      .option('-o, --output <format>', 'name, json, yaml or wide (default: a table)'),
    ctx,
  ).action(
    ctx.action(async (opts: ListOptions) => {
      const format = outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
      if (opts.running && opts.completed) throw new CommandError('--running and --completed exclude each other');
      if (opts.allNamespaces && opts.namespace) throw new CommandError('-A and --namespace exclude each other');
      const namespace = opts.allNamespaces ? '' : ctx.namespace(opts);
      const query = selectionQuery(opts);
      if (format === 'default') query.fields = TABLE_FIELDS;
      else if (format === 'name') query.fields = NAME_FIELDS;
      const workflows = (await listWorkflows(ctx, namespace, query, { ...(opts.limit !== undefined && { limit: opts.limit }), ...(opts.chunkSize && { chunkSize: opts.chunkSize }) })).sort(
        compareWorkflows,
      );
      if (format === 'json' || format === 'yaml') {
        printStructured(ctx, workflows, format, 2);
        return;
      }
      if (format === 'name') {
        for (const wf of workflows) ctx.out(`${wf.metadata.name ?? ''}\n`);
        return;
      }
      if (workflows.length === 0) {
        ctx.out('No workflows found\n');
        return;
      }
      const lines = workflowTable(workflows, { allNamespaces: opts.allNamespaces === true, wide: format === 'wide', headers: opts.headers, now: new Date() });
      ctx.out(`${lines.join('\n')}\n`);
    }),
  );
}
