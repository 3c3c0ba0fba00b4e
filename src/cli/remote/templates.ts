// The three resource groups: how each kind is printed, and cron's extra verbs.

import type { Command } from 'commander';
import { CronExpressionParser } from 'cron-parser';
import type { ClusterWorkflowTemplate, CronWorkflow, WorkflowTemplate } from '../../spec/types.js';
import { formatDuration, formatTimestamp, tabwrite } from '../render/index.js';
import type { RemoteContext } from './context.js';
import { fieldLines } from './format.js';
import { namespaceOption } from './options.js';
import { registerResourceGroup } from './resources.js';

function age(iso: string | undefined, now: Date): string {
  const at = Date.parse(iso ?? '');
  return Number.isNaN(at) ? '' : formatDuration(now.getTime() - at);
}

function nameTable(objects: readonly { metadata: { name?: string; namespace?: string } }[], allNamespaces: boolean): string[] {
  const rows = [allNamespaces ? 'NAMESPACE\tNAME' : 'NAME', ...objects.map((o) => (allNamespaces ? `${o.metadata.namespace ?? ''}\t${o.metadata.name ?? ''}` : (o.metadata.name ?? '')))];
  return tabwrite(rows, { padding: 3 });
}

function schedules(cron: CronWorkflow): string[] {
  return cron.spec.schedules?.length ? cron.spec.schedules : cron.spec.schedule ? [cron.spec.schedule] : [];
}

/** The soonest next run over all schedules, in the cron's time zone; undefined when none parses. */
export function nextRun(cron: CronWorkflow, now: Date): Date | undefined {
  let soonest: Date | undefined;
  for (const schedule of schedules(cron)) {
    try {
      const next = CronExpressionParser.parse(schedule, { currentDate: now, ...(cron.spec.timezone && { tz: cron.spec.timezone }) })
        .next()
        .toDate();
      if (!soonest || next < soonest) soonest = next;
    } catch {
      // an expression cron-parser does not know (@every…): no next run shown
    }
  }
  return soonest;
}

function lastScheduled(cron: CronWorkflow): string | undefined {
  const value = cron.status?.['lastScheduledTime'];
  return typeof value === 'string' ? value : undefined;
}

function describeCron(cron: CronWorkflow, now: Date): string {
  const next = nextRun(cron, now);
  const last = lastScheduled(cron);
  const active = (cron.status?.['active'] as { name?: string }[] | undefined)?.map((a) => a.name ?? '').filter(Boolean) ?? [];
  const params = cron.spec.workflowSpec.arguments?.parameters?.filter((p) => p.value !== undefined) ?? [];
  const fields: [string, string | number | boolean | undefined][] = [
    ['Name:', cron.metadata.name ?? ''],
    ['Namespace:', cron.metadata.namespace ?? ''],
    ['Created:', cron.metadata.creationTimestamp ? formatTimestamp(cron.metadata.creationTimestamp, now) : undefined],
    ['Schedules:', schedules(cron).join(',')],
    ['Suspended:', cron.spec.suspend === true],
    ['Timezone:', cron.spec.timezone || undefined],
    ['StartingDeadlineSeconds:', cron.spec.startingDeadlineSeconds],
    ['ConcurrencyPolicy:', cron.spec.concurrencyPolicy || undefined],
    ['LastScheduledTime:', last ? formatTimestamp(last, now) : undefined],
    ['NextScheduledTime:', next ? formatTimestamp(next.toISOString(), now) : undefined],
    ['Active Workflows:', active.length ? active.join(', ') : undefined],
  ];
  if (params.length) {
    fields.push(['Workflow Parameters:', '']);
    for (const p of params) fields.push([`  ${p.name}:`, String(p.value)]);
  }
  return fieldLines(fields, 30);
}

function cronTable(crons: readonly CronWorkflow[], opts: { allNamespaces: boolean; now: Date }): string[] {
  const header = ['NAME', 'AGE', 'LAST RUN', 'NEXT RUN', 'SCHEDULES', 'TIMEZONE', 'SUSPENDED'];
  if (opts.allNamespaces) header.unshift('NAMESPACE');
  const rows = crons.map((cron) => {
    const last = lastScheduled(cron);
    const next = nextRun(cron, opts.now);
    const row = [
      cron.metadata.name ?? '',
      age(cron.metadata.creationTimestamp, opts.now),
      last ? age(last, opts.now) : 'N/A',
      next ? formatDuration(next.getTime() - opts.now.getTime()) : 'N/A',
      schedules(cron).join(','),
      cron.spec.timezone ?? '',
      String(cron.spec.suspend === true),
    ];
    if (opts.allNamespaces) row.unshift(cron.metadata.namespace ?? '');
    return row.join('\t');
  });
  return tabwrite([header.join('\t'), ...rows], { padding: 3 });
}

export function registerTemplateCommands(program: Command, ctx: RemoteContext): void {
  registerResourceGroup<WorkflowTemplate>(program, ctx, {
    command: 'template',
    description: 'Manage workflow templates on the server',
    kind: 'WorkflowTemplate',
    plural: 'workflow templates',
    namespaced: true,
    api: (client) => client.workflowTemplates,
    describe: (t, now) =>
      fieldLines([
        ['Name:', t.metadata.name ?? ''],
        ['Namespace:', t.metadata.namespace ?? ''],
        ['Created:', t.metadata.creationTimestamp ? formatTimestamp(t.metadata.creationTimestamp, now) : ''],
      ]),
    table: (items, opts) => nameTable(items, opts.allNamespaces),
  });

  registerResourceGroup<ClusterWorkflowTemplate>(program, ctx, {
    command: 'cluster-template',
    description: 'Manage cluster workflow templates on the server',
    kind: 'ClusterWorkflowTemplate',
    plural: 'cluster workflow templates',
    namespaced: false,
    api: (client) => client.clusterWorkflowTemplates,
    describe: (t, now) =>
      fieldLines([
        ['Name:', t.metadata.name ?? ''],
        ['Created:', t.metadata.creationTimestamp ? formatTimestamp(t.metadata.creationTimestamp, now) : ''],
      ]),
    table: (items) => nameTable(items, false),
  });

  const cron = registerResourceGroup<CronWorkflow>(program, ctx, {
    command: 'cron',
    description: 'Manage cron workflows on the server',
    kind: 'CronWorkflow',
    plural: 'cron workflows',
    namespaced: true,
    api: (client) => client.cronWorkflows,
    describe: describeCron,
    table: cronTable,
    createFlags: (command) => command.option('--schedule <cron>', 'override the schedule (replaces spec.schedules)'),
    applyFlags: (object, opts) => {
      if (typeof opts['schedule'] === 'string') {
        object.spec.schedules = [opts['schedule']];
        delete object.spec.schedule;
      }
    },
  });

  for (const [verb, past, description] of [
    ['suspend', 'suspended', 'Stop scheduling these cron workflows'],
    ['resume', 'resumed', 'Start scheduling these cron workflows again'],
  ] as const) {
    namespaceOption(cron.command(verb).description(description).argument('<names...>', 'names'), ctx).action(
      ctx.action(async (names: string[], opts: { namespace?: string }) => {
        const namespace = ctx.namespace(opts);
        for (const name of names) {
          await (verb === 'suspend' ? ctx.client.cronWorkflows.suspend(namespace, name) : ctx.client.cronWorkflows.resume(namespace, name));
          ctx.out(`CronWorkflow '${name}' ${past}\n`);
        }
      }),
    );
  }
}
