import type { DAGTask, NodePhase, NodeStatus, Template } from '../spec/types.js';
import { NodeError, type ExecRequest, type Operation } from './context.js';
import { isDaemoned, isNodeFulfilled, killDaemons, markDaemoned } from './daemon.js';
import { dependsExpression, dependsHolds, taskDependencies } from './depends.js';
import { exitHookOf, runExitHook, runLifecycleHooks } from './hooks.js';
import { continuesOn, invocationArgs, resolveOutputs, skipNode, whenAllows } from './invocation.js';
import { expandLoop, hasLoop, type Expanded } from './loops.js';
import { isFailedOrError, isFulfilled } from './phase.js';
import { addAggregateToScope, addNodeToScope } from './scope.js';
import { resolveTemplate } from './templates.js';
import type { Vars } from './vars.js';

/** A DAG template (Argo's executeDAG + assessDAGPhase). */
export function executeDag(op: Operation, req: ExecRequest, template: Template, templateVars: Vars): NodeStatus {
  let node =
    op.byName(req.nodeName) ??
    op.initNode(req.nodeName, 'DAG', {
      displayName: req.displayName,
      boundaryId: req.boundaryId,
      phase: 'Running',
      templateName: template.name,
      ...(template.inputs?.parameters ? { inputs: template.inputs } : {}),
      ...(req.onExit ? { nodeFlag: { hooked: true } } : {}),
    });
  if (isFulfilled(node.phase)) return node;
  const run = new DagRun(op, req, node, template, templateVars);
  const targets = run.targets();
  for (const t of targets) run.visit(t);
  const phase = run.assess(targets);
  node = op.get(node.id) ?? node;
  if (phase === 'Running') return node;
  // The DAG is over: its daemons go (Argo's killDaemonedChildren), whatever its phase.
  killDaemons(op, node.id);
  const outbound = targets.flatMap((t) => {
    const n = run.taskNode(t);
    return n ? op.outboundNodes(n.id) : [];
  });
  if (phase !== 'Succeeded') return op.update(node.id, { phase, outboundNodes: outbound });
  try {
    const outputs = resolveOutputs(template, run.scope());
    return op.update(node.id, { phase, outboundNodes: outbound, ...(outputs ? { outputs } : {}) });
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    return op.update(node.id, { phase: 'Error', message: err.message, outboundNodes: outbound });
  }
}

class DagRun {
  private readonly tasks = new Map<string, DAGTask>();
  private readonly visited = new Set<string>();
  private readonly hooksPending = new Set<string>();
  private running = 0;

  constructor(
    private readonly op: Operation,
    private readonly req: ExecRequest,
    private readonly dagNode: NodeStatus,
    private readonly template: Template,
    private readonly templateVars: Vars,
  ) {
    for (const t of template.dag?.tasks ?? []) this.tasks.set(t.name, t);
  }

  targets(): string[] {
    const target = this.template.dag?.target;
    if (target && target.trim() !== '') return target.split(/[\s,]+/).filter(Boolean);
    const depended = new Set<string>();
    for (const t of this.tasks.values()) for (const d of taskDependencies(t)) depended.add(d);
    return [...this.tasks.keys()].filter((name) => !depended.has(name));
  }

  /** Node names by task, built once: a name concatenated on every lookup is hashed anew each time. */
  private readonly nodeNames = new Map<string, string>();

  taskNode(name: string): NodeStatus | undefined {
    return this.op.byName(this.nodeName(name));
  }

  /** tasks.<name>.* for every fulfilled task of this DAG: a fresh object the caller may extend. */
  scope(): Vars {
    return { ...this.sharedScope() };
  }

  private scopeCache: { vars: Vars; included: Map<string, NodeStatus>; cursor: number } | undefined;

  /**
   * The same, shared and read-only: built once per reconcile and extended only by the tasks whose
   * node changed since (a node is replaced, never mutated, and every replacement is in the
   * operation's change log). Rebuilding it, or even rescanning every task, for each task that
   * starts made a reconcile of a large DAG quadratic.
   */
  private sharedScope(): Vars {
    if (!this.scopeCache) {
      this.scopeCache = { vars: { ...this.templateVars }, included: new Map(), cursor: this.op.changeLog.length };
      for (const name of this.tasks.keys()) this.include(name);
      return this.scopeCache.vars;
    }
    const log = this.op.changeLog;
    const prefix = `${this.dagNode.name}.`;
    for (; this.scopeCache.cursor < log.length; this.scopeCache.cursor++) {
      const node = this.op.get(log[this.scopeCache.cursor] ?? '');
      if (node?.name.startsWith(prefix)) {
        const name = node.name.slice(prefix.length);
        if (this.tasks.has(name)) this.include(name);
      }
    }
    return this.scopeCache.vars;
  }

  /** Adds tasks.<name>.* for a fulfilled task whose node is not in the scope as it is now. */
  private include(name: string): void {
    const task = this.tasks.get(name);
    const cache = this.scopeCache;
    if (!task || !cache) return;
    const node = this.taskNode(name);
    if (!node || cache.included.get(name) === node || !isNodeFulfilled(node)) return;
    cache.included.set(name, node);
    const vars = cache.vars;
    if (hasLoop(task) && node.type === 'TaskGroup') {
      const children = (node.children ?? []).map((id) => this.op.get(id)).filter((n): n is NodeStatus => !!n);
      addAggregateToScope(this.op, vars, `tasks.${name}`, children);
      vars[`tasks.${name}.status`] = node.phase;
      vars[`tasks.${name}.id`] = node.id;
    } else {
      addNodeToScope(this.op, vars, `tasks.${name}`, node);
    }
  }

  /** Run a task once its dependencies are fulfilled (their exit hooks too); dependencies first. */
  visit(name: string): void {
    if (this.visited.has(name)) return;
    this.visited.add(name);
    const task = this.tasks.get(name);
    if (!task) return;
    const existing = this.taskNode(name);
    if (existing && isFulfilled(existing.phase)) {
      this.lifecycleHooks(task, existing);
      this.afterFulfilled(task, existing);
      return;
    }
    const deps = taskDependencies(task);
    for (const d of deps) this.visit(d);
    const depNodes = deps.map((d) => this.taskNode(d));
    if (depNodes.some((n, i) => !n || !isNodeFulfilled(n) || this.hooksPending.has(deps[i] ?? ''))) return;
    if (!existing) {
      const expression = dependsExpression(task);
      if (expression !== undefined) {
        let holds: boolean;
        try {
          holds = dependsHolds(this.op, expression, deps, depNodes as NodeStatus[]);
        } catch (err) {
          this.connect(task, skipNode(this.op, this.nodeName(name), this.dagNode.id, 'Error', err instanceof Error ? err.message : String(err), task, this.req.scope, name));
          return;
        }
        if (!holds) {
          this.connect(task, skipNode(this.op, this.nodeName(name), this.dagNode.id, 'Omitted', 'omitted: depends condition not met', task, this.req.scope, name));
          return;
        }
      }
      // Argo's dag.failFast does not stop new tasks (its docs say it does; its code, which users
      // see, only uses it when assessing the DAG: spec/containerset.md §8.5, SM-07).
      const limit = this.template.parallelism;
      if (limit !== undefined && limit > 0 && this.running >= limit) return;
    }
    const node = hasLoop(task) ? this.runLoop(task, existing) : this.runOne(task, existing);
    if (!node) return;
    this.lifecycleHooks(task, node);
    if (!isNodeFulfilled(node)) this.running++;
    else if (isFulfilled(node.phase)) this.afterFulfilled(task, node);
  }

  private nodeName(task: string): string {
    let name = this.nodeNames.get(task);
    if (name === undefined) {
      name = `${this.dagNode.name}.${task}`;
      this.nodeNames.set(task, name);
    }
    return name;
  }

  private runOne(task: DAGTask, existing: NodeStatus | undefined): NodeStatus | undefined {
    const nodeName = this.nodeName(task.name);
    // The scope holds every finished task: built only for a task that starts now (a started task
    // runs on the inputs it started with), or each reconcile of a large DAG is quadratic.
    const vars = existing ? {} : this.sharedScope();
    if (!existing) {
      const allowed = whenAllows(task, vars);
      if (allowed !== true) {
        const skipped = skipNode(this.op, nodeName, this.dagNode.id, allowed.phase, allowed.message, task, this.req.scope, task.name);
        this.connect(task, skipped);
        return skipped;
      }
    }
    let args = {};
    if (!existing) {
      try {
        args = invocationArgs(task, vars);
      } catch (err) {
        if (!(err instanceof NodeError)) throw err;
        const failed = skipNode(this.op, nodeName, this.dagNode.id, 'Error', err.message, task, this.req.scope, task.name);
        this.connect(task, failed);
        return failed;
      }
    }
    const node = this.op.execute(this.op, { nodeName, holder: task, args, boundaryId: this.dagNode.id, scope: this.req.scope, displayName: task.name, ...(this.req.exempt ? { exempt: true } : {}) });
    if (!existing) this.connect(task, node);
    return this.op.get(node.id) ?? node;
  }

  private runLoop(task: DAGTask, existing: NodeStatus | undefined): NodeStatus | undefined {
    const vars = this.sharedScope();
    const nodeName = this.nodeName(task.name);
    let expanded: Expanded<DAGTask>[];
    try {
      expanded = expandLoop(task, vars);
    } catch (err) {
      if (!(err instanceof NodeError)) throw err;
      if (existing) return this.op.update(existing.id, { phase: 'Error', message: err.message });
      const failed = skipNode(this.op, nodeName, this.dagNode.id, 'Error', err.message, task, this.req.scope, task.name);
      this.connect(task, failed);
      return failed;
    }
    if (expanded.length === 0 && !existing) {
      const skipped = skipNode(this.op, nodeName, this.dagNode.id, 'Skipped', 'Skipped, empty params', task, this.req.scope, task.name);
      this.connect(task, skipped);
      return skipped;
    }
    let group = existing;
    if (!group) {
      group = this.op.initNode(nodeName, 'TaskGroup', { displayName: task.name, boundaryId: this.dagNode.id, phase: 'Running', templateName: task.template ?? '' });
      this.connect(task, group);
    }
    const children: NodeStatus[] = [];
    let waiting = false;
    for (const e of expanded) {
      const childName = `${this.dagNode.name}.${e.name}`;
      let child = this.op.byName(childName);
      const itemVars = { ...vars, ...e.itemVars };
      if (!child) {
        const allowed = whenAllows(e.step, itemVars);
        if (allowed !== true) {
          child = skipNode(this.op, childName, this.dagNode.id, allowed.phase, allowed.message, e.step, this.req.scope, e.name);
          this.op.addChild(group.id, child.id);
          children.push(child);
          continue;
        }
        let args;
        try {
          args = invocationArgs(e.step, itemVars);
        } catch (err) {
          if (!(err instanceof NodeError)) throw err;
          child = skipNode(this.op, childName, this.dagNode.id, 'Error', err.message, e.step, this.req.scope, e.name);
          this.op.addChild(group.id, child.id);
          children.push(child);
          continue;
        }
        child = this.op.execute(this.op, { nodeName: childName, holder: e.step, args, boundaryId: this.dagNode.id, scope: this.req.scope, displayName: e.name, ...(this.req.exempt ? { exempt: true } : {}) });
        this.op.addChild(group.id, child.id);
      } else if (!isFulfilled(child.phase)) {
        child = this.op.execute(this.op, { nodeName: childName, holder: e.step, args: {}, boundaryId: this.dagNode.id, scope: this.req.scope, displayName: e.name, ...(this.req.exempt ? { exempt: true } : {}) });
      }
      child = this.op.get(child.id) ?? child;
      if (!isNodeFulfilled(child)) waiting = true;
      children.push(child);
    }
    if (waiting) return this.op.get(group.id) ?? group;
    // Daemons among the items: the group is done for its dependents while they live (and ends with them).
    const daemoned = children.some((c) => !isFulfilled(c.phase) && isDaemoned(c));
    if (daemoned) return group.daemoned === true ? group : markDaemoned(this.op, group.id);
    if (group.daemoned !== undefined) group = this.op.update(group.id, { daemoned: undefined });
    const failed = children.find((c) => isFailedOrError(c.phase));
    return this.op.mark(group.id, failed ? failed.phase : 'Succeeded', failed ? `child '${failed.id}' failed` : undefined);
  }

  /** A task hangs under the DAG node when it has no dependencies, else under each dependency's outbound nodes. */
  private connect(task: DAGTask, node: NodeStatus): void {
    const deps = taskDependencies(task);
    if (deps.length === 0) {
      this.op.addChild(this.dagNode.id, node.id);
      return;
    }
    for (const d of deps) {
      const depNode = this.taskNode(d);
      if (!depNode) continue;
      for (const out of this.op.outboundNodes(depNode.id)) this.op.addChild(out, node.id);
    }
  }

  /** The task's lifecycle hooks (`hooks.<name>: {expression}`); dependents and the DAG wait for those that fired. */
  private lifecycleHooks(task: DAGTask, node: NodeStatus): void {
    if (!task.hooks) return;
    const vars = this.scope();
    addNodeToScope(this.op, vars, `tasks.${task.name}`, node);
    if (runLifecycleHooks(this.op, task.hooks, node, vars, this.dagNode.id, this.req.scope)) this.hooksPending.add(task.name);
  }

  private afterFulfilled(task: DAGTask, node: NodeStatus): void {
    if (!exitHookOf(task)) return;
    const vars = this.scope();
    addNodeToScope(this.op, vars, `tasks.${task.name}`, node);
    const hook = runExitHook(this.op, task, node, vars, this.dagNode.id, this.req.scope);
    if (hook && !isFulfilled(hook.phase)) this.hooksPending.add(task.name);
  }

  private failFast(): boolean {
    return this.template.dag?.failFast !== false;
  }

  /** Some task's `depends` looks at this task's failure (.Failed, .Errored, …). */
  private failureHandled(name: string): boolean {
    const pattern = new RegExp(`(^|[^\\w-])${escapeRe(name)}\\.(Failed|Errored|Completed|AnySucceeded|AllFailed)`);
    return [...this.tasks.values()].some((t) => pattern.test(t.depends ?? ''));
  }

  assess(targets: string[]): NodePhase {
    for (const name of this.tasks.keys()) {
      const node = this.taskNode(name);
      if (node && !isNodeFulfilled(node)) return 'Running';
      if (this.hooksPending.has(name)) return 'Running';
    }
    // Argo's assessDAGPhase: with failFast the first failed target decides, otherwise every target must have ended.
    let result: NodePhase = 'Succeeded';
    for (const t of targets) {
      const phase = this.branchPhase(t, new Set());
      if (phase === undefined) {
        result = 'Running';
        if (!this.failFast()) break;
        continue;
      }
      const task = this.tasks.get(t);
      if (isFailedOrError(phase) && !(task && continuesOn(task, phase))) {
        result = phase;
        if (this.failFast()) break;
      }
    }
    if (result === 'Succeeded') return this.daemonFailure() ?? result;
    return result;
  }

  /**
   * A daemon that died on its own after its dependents had started (so no branch carries its
   * failure) fails the DAG, unless continueOn or a `depends` on its failure covers it.
   */
  private daemonFailure(): NodePhase | undefined {
    for (const [name, task] of this.tasks) {
      const node = this.taskNode(name);
      if (!node || !isFailedOrError(node.phase) || continuesOn(task, node.phase) || !this.isDaemon(task)) continue;
      if (!this.failureHandled(name)) return node.phase;
    }
    return undefined;
  }

  private isDaemon(task: DAGTask): boolean {
    try {
      return resolveTemplate(this.op, task, this.req.scope).template.daemon === true;
    } catch {
      return false;
    }
  }

  /** A target's phase; an omitted target inherits its dependencies' branch phase, failures first. */
  private branchPhase(name: string, seen: Set<string>): NodePhase | undefined {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const node = this.taskNode(name);
    if (!node) return undefined;
    if (node.phase !== 'Omitted') return node.phase;
    const task = this.tasks.get(name);
    let inherited: NodePhase = 'Omitted';
    for (const d of task ? taskDependencies(task) : []) {
      const p = this.branchPhase(d, seen);
      if (p && isFailedOrError(p)) return p;
      if (p) inherited = p;
    }
    return inherited;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
