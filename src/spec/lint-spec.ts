// The semantic rules for one WorkflowSpec: names that must be unique, references that must resolve
// (entrypoint, steps, tasks, hooks, exit handlers, templateRefs, DAG dependencies), input
// parameters that nobody supplies, synchronization blocks and containerSets. They run on the
// cleaned output of the schema check, so every field read here has the kind the schema promises;
// list items that failed are null.

import { parseDepends, TASK_RESULTS } from './depends.js';
import { lintContainerSet } from './lint-container-set.js';
import { lockRequests, type LockRequest, type SyncLintOptions } from './lint-sync.js';
import { present, valueAt, type Report } from './lint-util.js';
import type { Position } from './load.js';
import { formatPath, type PathSegment } from './path.js';
import type { TemplateRegistry } from './registry.js';
import { isRecord } from './schema-check.js';
import { didYouMean } from './suggest.js';
import type { Arguments, DAGTemplate, Invocation, LifecycleHook, Template, TemplateRef, WorkflowSpec } from './types.js';

export type { Report } from './lint-util.js';

export interface SpecLintContext {
  spec: WorkflowSpec;
  /** Where the spec sits in its document: ['spec'], or ['spec', 'workflowSpec'] for a CronWorkflow. */
  base: PathSegment[];
  kind: 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';
  namespace?: string;
  registry: TemplateRegistry;
  /** Whether the registry is meant to hold every template, so that a missing one is worth a warning. */
  registryComplete: boolean;
  /** Formatted paths of fields reported as misspelt: their absence is not reported again. */
  misspelt?: ReadonlySet<string>;
  /** The whole document as parsed, before the schema check: what was written, even if rejected. */
  source?: unknown;
  /** Where a path of the document is written, for messages that point at a second place. */
  locate?: (path: PathSegment[]) => Position | undefined;
  report: Report;
}

/** A lock the workflow takes before any template runs, and how to point at where it is asked for. */
interface WorkflowLock {
  lock: LockRequest;
  at: string;
  /** Asked for in this document (not inherited from a workflowTemplateRef). */
  own: boolean;
}

/** What a caller passes to a template, and how to name it in messages. */
interface Call {
  args: Arguments | undefined;
  label: string;
}

export const TEMPLATE_KINDS = ['container', 'script', 'containerSet', 'steps', 'dag', 'suspend', 'resource', 'http', 'data', 'plugin'] as const;

const WORKFLOW_PARAMETER_TAG = /\{\{\s*workflow\.parameters\.([A-Za-z0-9_.-]+?)\s*\}\}/g;

export function lintWorkflowSpec(ctx: SpecLintContext): void {
  new SpecLinter(ctx).run();
}

class SpecLinter {
  private readonly spec: WorkflowSpec;
  private readonly base: PathSegment[];
  private readonly report: Report;
  /** The templates steps and tasks can name: this spec's, then those of its workflowTemplateRef. */
  private readonly scope = new Map<string, Template>();
  private refSpec: WorkflowSpec | undefined;
  private refLabel = '';
  private readonly syncOptions: SyncLintOptions;
  /** The workflow-level locks: a template asking for one of them again waits for ever. */
  private workflowLocks: WorkflowLock[] = [];

  constructor(private readonly ctx: SpecLintContext) {
    this.spec = ctx.spec;
    this.base = ctx.base;
    this.report = ctx.report;
    this.syncOptions = { namespace: ctx.namespace, written: (path) => this.written(path), where: (path) => this.where(path) };
  }

  run(): void {
    this.collectTemplates();
    this.resolveWorkflowTemplateRef();
    this.collectWorkflowLocks();
    this.checkEntrypoint();
    if (this.spec.onExit !== undefined) this.checkTemplateName(this.spec.onExit, [...this.base, 'onExit'], 'onExit', this.workflowCall());
    for (const [name, hook] of entries(this.spec.hooks)) this.checkHook(hook, [...this.base, 'hooks', name]);
    for (const [t, i] of present(this.spec.templates)) this.checkTemplate(t, [...this.base, 'templates', i]);
    this.checkInheritedTemplateLocks();
    this.checkArgumentNames(this.spec.arguments, [...this.base, 'arguments']);
    this.checkWorkflowParameterTags();
  }

  private collectTemplates(): void {
    for (const [t, i] of present(this.spec.templates)) {
      const path = [...this.base, 'templates', i];
      if (!t.name) this.report(path, 'a template needs a "name"');
      else if (this.scope.has(t.name)) this.report([...path, 'name'], `duplicate template name "${t.name}"`);
      else this.scope.set(t.name, t);
    }
  }

  private refUnresolved = false;

  private resolveWorkflowTemplateRef(): void {
    const ref = this.spec.workflowTemplateRef;
    if (!ref) return;
    const path = [...this.base, 'workflowTemplateRef'];
    if (!ref.name) {
      this.report(path, 'workflowTemplateRef needs a "name"');
      return;
    }
    const found = ref.clusterScope
      ? this.ctx.registry.getClusterWorkflowTemplate(ref.name)
      : this.ctx.registry.getWorkflowTemplate(ref.name, this.ctx.namespace);
    if (!found) {
      if (this.ctx.registryComplete) {
        const kind = ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
        this.report([...path, 'name'], `${kind} "${ref.name}" is not known here, so the reference is not checked`, 'warning');
      }
      this.refUnresolved = true;
      return;
    }
    this.refSpec = found.spec;
    this.refLabel = `${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} "${ref.name}"`;
    for (const [t] of present(found.spec.templates)) if (t.name && !this.scope.has(t.name)) this.scope.set(t.name, t);
  }

  private checkEntrypoint(): void {
    const entrypoint = this.spec.entrypoint ?? this.refSpec?.entrypoint;
    const path = [...this.base, 'entrypoint'];
    if (entrypoint === undefined || entrypoint === '') {
      const runnable = this.ctx.kind === 'Workflow' || this.ctx.kind === 'CronWorkflow';
      const refUnresolved = this.spec.workflowTemplateRef !== undefined && this.refSpec === undefined;
      if (runnable && !refUnresolved && !this.ctx.misspelt?.has(formatPath(path))) {
        this.report(path, 'missing "entrypoint": set it to the name of the template the workflow starts with');
      }
      return;
    }
    // A templated entrypoint (`{{workflow.parameters.x}}`) can only be judged at submit time.
    if (entrypoint.includes('{{')) return;
    const at = this.spec.entrypoint !== undefined ? path : [...this.base, 'workflowTemplateRef'];
    this.checkTemplateName(entrypoint, at, 'entrypoint', this.workflowCall());
  }

  /** How the entrypoint and the exit handler are called; a template library's inputs are for its submitter (`-p`). */
  private workflowCall(): Call | undefined {
    return this.isLibrary() ? undefined : { args: this.workflowArguments(), label: 'spec.arguments' };
  }

  private workflowArguments(): Arguments {
    const own = this.spec.arguments ?? {};
    const inherited = this.refSpec?.arguments ?? {};
    return {
      parameters: [...present(own.parameters), ...present(inherited.parameters)].map(([p]) => p),
      artifacts: [...present(own.artifacts), ...present(inherited.artifacts)].map(([a]) => a),
    };
  }

  /** A reference by name to a template in scope; with `call`, its inputs are checked against what is passed. */
  private checkTemplateName(name: string, path: PathSegment[], what: string, call: Call | undefined): void {
    const template = this.scope.get(name);
    // Names may come from a referenced template this lint cannot see (the server has it).
    if (!template && this.refUnresolved) return;
    if (!template) {
      this.report(path, `${what} refers to template "${name}", which does not exist${didYouMean(name, this.scope.keys())}`);
      return;
    }
    if (call) this.checkSupplied(template, call, path);
  }

  private isLibrary(): boolean {
    return this.ctx.kind === 'WorkflowTemplate' || this.ctx.kind === 'ClusterWorkflowTemplate';
  }

  private checkTemplate(t: Template, path: PathSegment[]): void {
    const kinds = TEMPLATE_KINDS.filter((k) => t[k] !== undefined);
    const label = t.name ? `template "${t.name}"` : 'this template';
    if (kinds.length === 0) {
      this.report(path, `${label} has no type: give it one of ${TEMPLATE_KINDS.join(', ')}`);
    } else if (kinds.length > 1) {
      this.report([...path, kinds[1] ?? ''], `${label} has more than one type (${kinds.join(', ')}); keep one`);
    }
    this.checkUniqueNames(t.inputs?.parameters, [...path, 'inputs', 'parameters'], 'input parameter');
    this.checkUniqueNames(t.inputs?.artifacts, [...path, 'inputs', 'artifacts'], 'input artifact');
    this.checkUniqueNames(t.outputs?.parameters, [...path, 'outputs', 'parameters'], 'output parameter');
    this.checkUniqueNames(t.outputs?.artifacts, [...path, 'outputs', 'artifacts'], 'output artifact');
    if (t.steps) this.checkSteps(t.steps, [...path, 'steps']);
    if (t.dag) this.checkDag(t.dag, [...path, 'dag']);
    if (t.containerSet) lintContainerSet(t, [...path, 'containerSet'], { report: this.report, written: (p) => this.written(p) });
    this.checkTemplateLocks(t, path, label);
  }

  /** Whether something was written at `path`, even if the schema check rejected it (and said so). */
  private written(path: PathSegment[]): boolean {
    const value = valueAt(this.ctx.source, path);
    return (value !== undefined && value !== null) || (this.ctx.misspelt?.has(formatPath(path)) ?? false);
  }

  /** `spec.synchronization.mutexes[0] at line 9`, for a message about another place. */
  private where(path: PathSegment[]): string {
    const pos = this.ctx.locate?.(path);
    return pos ? `${formatPath(path)} at line ${pos.line}` : formatPath(path);
  }

  /** spec.synchronization, or that of the workflowTemplateRef when this spec has none (the workflow's replaces it). */
  private collectWorkflowLocks(): void {
    const path = [...this.base, 'synchronization'];
    if (this.spec.synchronization !== undefined) {
      const locks = lockRequests(this.spec.synchronization, path, this.syncOptions, this.report);
      this.workflowLocks = locks.map((lock) => ({ lock, at: this.where(lock.path), own: true }));
    } else if (this.refSpec?.synchronization !== undefined) {
      // Its problems are reported where it is written.
      const locks = lockRequests(this.refSpec.synchronization, [], this.syncOptions);
      this.workflowLocks = locks.map((lock) => ({ lock, at: `spec.synchronization of ${this.refLabel}`, own: false }));
    }
  }

  private checkTemplateLocks(t: Template, path: PathSegment[], label: string): void {
    for (const lock of lockRequests(t.synchronization, [...path, 'synchronization'], this.syncOptions, this.report)) {
      const held = this.heldByWorkflow(lock);
      if (held) this.report(lock.path, selfDeadlock(held, label));
    }
  }

  private heldByWorkflow(lock: LockRequest): WorkflowLock | undefined {
    return this.workflowLocks.find((w) => w.lock.id === lock.id);
  }

  /** This spec's workflow-level locks against the templates it takes from its workflowTemplateRef. */
  private checkInheritedTemplateLocks(): void {
    if (!this.refSpec) return;
    const own = new Set(present(this.spec.templates).map(([t]) => t.name));
    for (const [t] of present(this.refSpec.templates)) {
      if (own.has(t.name)) continue;
      for (const lock of lockRequests(t.synchronization, [], this.syncOptions)) {
        const held = this.heldByWorkflow(lock);
        if (held?.own) this.report(held.lock.path, selfDeadlock(held, `template "${t.name}" of ${this.refLabel}`));
      }
    }
  }

  private checkSteps(groups: Template['steps'] & object, path: PathSegment[]): void {
    const seen = new Set<string>();
    for (const [group, g] of present(groups)) {
      for (const [step, s] of present(group)) {
        const at = [...path, g, s];
        if (!step.name) this.report(at, 'a step needs a "name"');
        else if (seen.has(step.name)) this.report([...at, 'name'], `duplicate step name "${step.name}" in this template`);
        else seen.add(step.name);
        this.checkInvocation(step, at, 'step');
      }
    }
  }

  private checkDag(dag: DAGTemplate, path: PathSegment[]): void {
    const tasks = present(dag.tasks);
    const names = new Set<string>();
    for (const [task, k] of tasks) {
      const at = [...path, 'tasks', k];
      if (!task.name) this.report(at, 'a task needs a "name"');
      else if (names.has(task.name)) this.report([...at, 'name'], `duplicate task name "${task.name}" in this DAG`);
      else names.add(task.name);
    }
    const edges = new Map<string, string[]>();
    let usesDepends = false;
    let usesDependencies = false;
    for (const [task, k] of tasks) {
      const at = [...path, 'tasks', k];
      const deps: string[] = [];
      if (task.depends !== undefined) {
        usesDepends = true;
        for (const term of parseDepends(task.depends, names)) {
          if (term.task.includes('{{')) continue;
          if (!names.has(term.task)) {
            this.report([...at, 'depends'], `depends refers to task "${term.task}", which is not in this DAG${didYouMean(term.task, names)}`);
          } else {
            deps.push(term.task);
          }
          if (term.result !== undefined && !(TASK_RESULTS as readonly string[]).includes(term.result)) {
            this.report(
              [...at, 'depends'],
              `"${term.task}.${term.result}" is not a task result${didYouMean(term.result, TASK_RESULTS)} (one of ${TASK_RESULTS.join(', ')})`,
            );
          }
        }
      }
      for (const [dep, d] of present(task.dependencies)) {
        usesDependencies = true;
        if (!names.has(dep)) this.report([...at, 'dependencies', d], `dependencies names task "${dep}", which is not in this DAG${didYouMean(dep, names)}`);
        else deps.push(dep);
      }
      if (task.name) edges.set(task.name, deps);
      this.checkInvocation(task, at, 'task');
    }
    if (usesDepends && usesDependencies) {
      this.report(path, 'a DAG cannot use both "depends" and "dependencies": write every task\'s dependencies with "depends"');
    }
    const cycle = findCycle(edges);
    if (cycle) {
      const k = tasks.find(([t]) => t.name === cycle[0])?.[1] ?? 0;
      this.report([...path, 'tasks', k], `dependency cycle: ${cycle.join(' -> ')}`);
    }
    if (dag.target !== undefined && !dag.target.includes('{{')) {
      for (const target of dag.target.split(/\s+/).filter(Boolean)) {
        if (!names.has(target)) this.report([...path, 'target'], `target "${target}" is not a task of this DAG${didYouMean(target, names)}`);
      }
    }
  }

  /** A step, a task: what it calls must exist and get every parameter it needs. */
  private checkInvocation(inv: Invocation, path: PathSegment[], what: 'step' | 'task'): void {
    const sources = (['template', 'templateRef', 'inline'] as const).filter((k) => inv[k] !== undefined);
    if (sources.length === 0) this.report(path, `a ${what} needs one of "template", "templateRef" or "inline"`);
    else if (sources.length > 1) this.report([...path, sources[1] ?? ''], `a ${what} takes only one of ${sources.map((s) => `"${s}"`).join(', ')}`);

    const call: Call = { args: inv.arguments, label: `${what}'s arguments` };
    if (inv.template !== undefined) this.checkTemplateName(inv.template, [...path, 'template'], what, call);
    if (inv.templateRef) this.checkTemplateRef(inv.templateRef, [...path, 'templateRef'], call);
    if (inv.inline) {
      this.checkTemplate(inv.inline, [...path, 'inline']);
      this.checkSupplied(inv.inline, call, [...path, 'inline']);
    }
    if (inv.onExit !== undefined) this.checkTemplateName(inv.onExit, [...path, 'onExit'], 'onExit', undefined);
    for (const [name, hook] of entries(inv.hooks)) this.checkHook(hook, [...path, 'hooks', name]);
    this.checkArgumentNames(inv.arguments, [...path, 'arguments']);
  }

  private checkHook(hook: LifecycleHook, path: PathSegment[]): void {
    if (hook.template === undefined && hook.templateRef === undefined) {
      this.report(path, 'a hook needs "template" or "templateRef"');
    }
    const call: Call = { args: hook.arguments, label: "hook's arguments" };
    if (hook.template !== undefined) this.checkTemplateName(hook.template, [...path, 'template'], 'hook', call);
    if (hook.templateRef) this.checkTemplateRef(hook.templateRef, [...path, 'templateRef'], call);
  }

  private checkTemplateRef(ref: TemplateRef, path: PathSegment[], call: Call): void {
    if (!ref.name || !ref.template) {
      this.report(path, 'templateRef needs "name" (the WorkflowTemplate) and "template" (the template in it)');
      return;
    }
    const kind = ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
    const owner = ref.clusterScope
      ? this.ctx.registry.getClusterWorkflowTemplate(ref.name)
      : this.ctx.registry.getWorkflowTemplate(ref.name, this.ctx.namespace);
    if (!owner) {
      if (this.ctx.registryComplete) this.report([...path, 'name'], `${kind} "${ref.name}" is not known here, so the reference is not checked`, 'warning');
      return;
    }
    const templates = present(owner.spec.templates).map(([t]) => t);
    const template = templates.find((t) => t.name === ref.template);
    if (!template) {
      const names = templates.map((t) => t.name);
      this.report([...path, 'template'], `${kind} "${ref.name}" has no template "${ref.template}"${didYouMean(ref.template, names)}`);
      return;
    }
    for (const lock of lockRequests(template.synchronization, [], this.syncOptions)) {
      const held = this.heldByWorkflow(lock);
      if (held) this.report(path, selfDeadlock(held, `template "${template.name}" of ${kind} "${ref.name}" (called here)`));
    }
    this.checkSupplied(template, call, [...path, 'template']);
  }

  /** Argo refuses to run a template whose input has no value, no default and no argument. */
  private checkSupplied(callee: Template, { args, label: argsLabel }: Call, path: PathSegment[]): void {
    const params = new Set(present(args?.parameters).map(([p]) => p.name));
    const artifacts = new Set(present(args?.artifacts).map(([a]) => a.name));
    const label = callee.name ? `template "${callee.name}"` : 'the inline template';
    for (const [p] of present(callee.inputs?.parameters)) {
      if (!p.name || p.value !== undefined || p.default !== undefined || p.valueFrom !== undefined) continue;
      if (!params.has(p.name)) this.report(path, `inputs.parameters.${p.name} was not supplied: ${label} needs it and the ${argsLabel} do not pass it`);
    }
    for (const [a] of present(callee.inputs?.artifacts)) {
      if (!a.name || a.optional || a.from !== undefined || a.fromExpression !== undefined || hasArtifactLocation(a)) continue;
      if (!artifacts.has(a.name)) this.report(path, `inputs.artifacts.${a.name} was not supplied: ${label} needs it and the ${argsLabel} do not pass it`);
    }
  }

  private checkArgumentNames(args: Arguments | undefined, path: PathSegment[]): void {
    this.checkUniqueNames(args?.parameters, [...path, 'parameters'], 'parameter');
    this.checkUniqueNames(args?.artifacts, [...path, 'artifacts'], 'artifact');
  }

  private checkUniqueNames(list: readonly ({ name?: string } | null)[] | undefined, path: PathSegment[], what: string): void {
    const seen = new Set<string>();
    for (const [item, i] of present(list)) {
      if (item.name === undefined) continue;
      if (seen.has(item.name)) this.report([...path, i, 'name'], `duplicate ${what} name "${item.name}"`);
      seen.add(item.name);
    }
  }

  /** `{{workflow.parameters.x}}` must name a parameter the workflow declares. */
  private checkWorkflowParameterTags(): void {
    const declared = new Set(present(this.workflowArguments().parameters).map(([p]) => p.name));
    declared.add('json'); // {{workflow.parameters.json}}: all parameters as one JSON document
    // A template library may rely on parameters that the workflow using it, or its submitter, declares.
    const severity = this.isLibrary() ? 'warning' : 'error';
    const visit = (value: unknown, path: PathSegment[]): void => {
      if (typeof value === 'string') {
        for (const m of value.matchAll(WORKFLOW_PARAMETER_TAG)) {
          const name = m[1] ?? '';
          if (!declared.has(name)) {
            this.report(path, `"${m[0]}" names a workflow parameter that spec.arguments does not declare${didYouMean(name, declared)}`, severity);
          }
        }
      } else if (Array.isArray(value)) {
        value.forEach((v: unknown, i) => visit(v, [...path, i]));
      } else if (isRecord(value)) {
        for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      }
    };
    for (const [t, i] of present(this.spec.templates)) visit(t, [...this.base, 'templates', i]);
  }
}

const LOCATION_KEYS = ['s3', 'git', 'http', 'raw', 'gcs', 'azure', 'oss', 'hdfs', 'artifactory', 'plugin'];

function hasArtifactLocation(a: object): boolean {
  return LOCATION_KEYS.some((k) => (a as Record<string, unknown>)[k] !== undefined);
}

function entries<T>(map: Record<string, T> | undefined): [string, T][] {
  return Object.entries(map ?? {}).filter((e): e is [string, T] => e[1] !== null && e[1] !== undefined);
}

/** The first dependency cycle found, as a path that ends where it starts. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const s = state.get(node);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function selfDeadlock(held: WorkflowLock, requester: string): string {
  return (
    `workflow-level lock ${held.lock.label} is also requested by ${requester}: the template would wait forever for a lock its own workflow holds ` +
    `(the workflow takes it, ${held.at}, before anything runs and keeps it to the end); request the lock at one level only`
  );
}
