// `template`, `cluster-template` and `cron`: the same create/get/list/update/delete/lint verbs over
// three kinds, as argo has them. What differs (API, printing, extra verbs) is in a ResourceGroup.

import type { Command } from 'commander';
import type { ClusterWorkflowTemplate, CronWorkflow, WorkflowTemplate } from '../../spec/types.js';
import { ApiError, type ArgoClient, type ResourceApi } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { describeApiError } from './errors.js';
import { outputFormat, printStructured } from './format.js';
import { manifestsOfKind, readManifests } from './manifests.js';
import { namespaceOption } from './options.js';

type GroupResource = WorkflowTemplate | ClusterWorkflowTemplate | CronWorkflow;

export interface ResourceGroup<T extends GroupResource> {
  command: string;
  aliases?: string[];
  description: string;
  kind: T['kind'];
  /** For "No … found". */
  plural: string;
  namespaced: boolean;
  api: (client: ArgoClient) => ResourceApi<T>;
  /** The default (`-o wide` too) view of one object. */
  describe: (object: T, now: Date) => string;
  /** Table rows, header first. */
  table: (objects: readonly T[], opts: { allNamespaces: boolean; now: Date }) => string[];
  /** Flags `create`/`update` apply to each object before sending (cron's --schedule). */
  createFlags?: (command: Command) => Command;
  applyFlags?: (object: T, opts: Record<string, unknown>) => void;
}

interface CommonOptions {
  namespace?: string;
  output?: string;
}

const FORMATS = ['name', 'json', 'yaml', 'wide'] as const;

export function registerResourceGroup<T extends GroupResource>(program: Command, ctx: RemoteContext, group: ResourceGroup<T>): Command {
  const parent = program.command(group.command).description(group.description);
  for (const alias of group.aliases ?? []) parent.alias(alias);
  const api = (): ResourceApi<T> => group.api(ctx.client);
  // Cluster-scoped kinds have no namespace; `-n` would only mislead.
  const scoped = (command: Command): Command => (group.namespaced ? namespaceOption(command, ctx) : command);
  const namespaceOf = (opts: { namespace?: string }, manifestNamespace?: string): string => (group.namespaced ? ctx.namespace(opts, manifestNamespace) : '');

  const print = (object: T, format: ReturnType<typeof outputFormat>): void => {
    if (format === 'name') ctx.out(`${object.metadata.name ?? ''}\n`);
    else if (format === 'json' || format === 'yaml') printStructured(ctx, object, format);
    else ctx.out(group.describe(object, new Date()));
  };

  const readKind = async (files: string[]): Promise<T[]> =>
    manifestsOfKind(await readManifests(ctx, files), group.kind, `"argot ${group.command}" takes ${group.kind} documents`).map((m) => m.resource as T);

  const write = (verb: 'create' | 'update', description: string): void => {
    let command = scoped(
      parent
        .command(verb)
        .description(description)
        .argument('<files...>', 'manifests: paths or - for stdin')
        .option('-o, --output <format>', 'name, json, yaml or wide'),
    );
    if (group.createFlags) command = group.createFlags(command);
    command.action(
      ctx.action(async (files: string[], opts: CommonOptions & Record<string, unknown>) => {
        const format = outputFormat(opts.output, FORMATS);
        for (const object of await readKind(files)) {
          group.applyFlags?.(object, opts);
          const namespace = namespaceOf(opts, object.metadata.namespace);
          if (group.namespaced) object.metadata.namespace = namespace;
          let result: T;
          if (verb === 'create') result = await api().create(namespace, object);
          else {
            // The server's optimistic lock wants the current resourceVersion; a manifest has none.
            const current = await api().get(namespace, object.metadata.name ?? '');
            object.metadata.resourceVersion = current.metadata.resourceVersion ?? '';
            result = await api().update(namespace, object);
          }
          print(result, format);
        }
      }),
    );
  };
  write('create', `Create ${group.plural} on the server from files (linted first)`);
  write('update', `Replace ${group.plural} on the server with the files' versions`);

  scoped(
    parent
      .command('get')
      .description(`Show ${group.plural}`)
      .argument('<names...>', 'names')
      .option('-o, --output <format>', 'name, json, yaml or wide'),
  ).action(
    ctx.action(async (names: string[], opts: CommonOptions) => {
      const format = outputFormat(opts.output, FORMATS);
      for (const name of names) print(await api().get(namespaceOf(opts), name), format);
    }),
  );

  let list = parent
    .command('list')
    .alias('ls')
    .description(`List ${group.plural}`)
    .option('-l, --selector <selector>', 'label selector')
    .option('-o, --output <format>', 'name, json, yaml or wide');
  if (group.namespaced) list = list.option('-A, --all-namespaces', 'every namespace');
  scoped(list).action(
    ctx.action(async (opts: CommonOptions & { selector?: string; allNamespaces?: boolean }) => {
      const format = outputFormat(opts.output, FORMATS);
      const items = await listAll(api(), opts.allNamespaces ? '' : namespaceOf(opts), opts.selector);
      if (format === 'json' || format === 'yaml') printStructured(ctx, items, format, 2);
      else if (format === 'name') for (const item of items) ctx.out(`${item.metadata.name ?? ''}\n`);
      else if (items.length === 0) ctx.out(`No ${group.plural} found\n`);
      else ctx.out(`${group.table(items, { allNamespaces: opts.allNamespaces === true, now: new Date() }).join('\n')}\n`);
    }),
  );

  scoped(
    parent
      .command('delete')
      .description(`Delete ${group.plural}`)
      .argument('[names...]', 'names')
      .option('--all', `every one${group.namespaced ? ' in the namespace' : ''}`),
  ).action(
    ctx.action(async (names: string[], opts: { namespace?: string; all?: boolean }) => {
      if (names.length > 0 && opts.all) throw new CommandError('give names or --all, not both');
      if (names.length === 0 && !opts.all) throw new CommandError(`nothing to delete: give ${group.kind} names or --all`);
      const namespace = namespaceOf(opts);
      const targets = opts.all ? (await listAll(api(), namespace)).map((o) => o.metadata.name ?? '') : names;
      let failed = false;
      for (const name of targets) {
        try {
          await api().delete(namespace, name);
          ctx.out(`${group.kind} '${name}' deleted\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          ctx.err(`argot: ${describeApiError(err)}\n`);
          failed = true;
        }
      }
      return failed ? 1 : 0;
    }),
  );

  scoped(
    parent
      .command('lint')
      .description(`Check ${group.plural} in files: locally, then with the server (which knows the other templates)`)
      .argument('<files...>', 'manifests: paths or - for stdin'),
  ).action(
    ctx.action(async (files: string[], opts: { namespace?: string }) => {
      const manifests = (await readManifests(ctx, files)).filter((m) => m.resource.kind === group.kind);
      let errors = 0;
      for (const { resource, source } of manifests) {
        const namespace = namespaceOf(opts, resource.metadata.namespace);
        try {
          await api().lint(namespace, resource as T);
        } catch (err) {
          // Only the server's verdict on the manifest is a lint error; anything else is a failure to lint.
          if (!(err instanceof ApiError) || err.status !== 400) throw err;
          ctx.out(`${source}:\n   ✖ ${group.kind} "${resource.metadata.name ?? ''}": ${err.message}\n`);
          errors++;
        }
      }
      if (errors === 0) {
        ctx.out('✔ no linting errors found!\n');
        return 0;
      }
      ctx.out(`✖ ${errors} linting error${errors === 1 ? '' : 's'} found!\n`);
      return 1;
    }),
  );
  return parent;
}

async function listAll<T extends GroupResource>(api: ResourceApi<T>, namespace: string, labelSelector?: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await api.list(namespace, { ...(labelSelector && { labelSelector }), ...(token && { continue: token }) });
    items.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token);
  return items;
}
