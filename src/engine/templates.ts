import type { Invocation, Template } from '../spec/types.js';
import { NodeError, type Operation, type TemplateScope } from './context.js';

export interface ResolvedTemplate {
  template: Template;
  scope: TemplateScope;
}

export function workflowScope(op: Operation): TemplateScope {
  return { kind: 'workflow', templates: op.workflow.spec.templates ?? [] };
}

/** Find what a step, task or hook calls: a template by name in the current library, a templateRef, or an inline template. */
export function resolveTemplate(op: Operation, holder: Pick<Invocation, 'template' | 'templateRef' | 'inline'>, scope: TemplateScope): ResolvedTemplate {
  if (holder.inline) {
    return { template: withDefaults(op, { ...holder.inline, name: holder.inline.name ?? '' }), scope };
  }
  if (holder.templateRef) {
    const ref = holder.templateRef;
    const namespace = op.workflow.metadata.namespace ?? op.config.namespace;
    const source = ref.clusterScope ? op.lookup?.clusterWorkflowTemplate(ref.name) : op.lookup?.workflowTemplate(ref.name, namespace);
    if (!source) {
      throw new NodeError(`${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} '${ref.name}' not found`);
    }
    const templates = source.spec.templates ?? [];
    const template = templates.find((t) => t.name === ref.template);
    if (!template) throw new NodeError(`template ${ref.template} not found in ${source.kind} ${ref.name}`);
    return {
      template: withDefaults(op, template),
      scope: { kind: ref.clusterScope ? 'cluster' : 'namespaced', name: ref.name, templates },
    };
  }
  const name = holder.template;
  if (!name) throw new NodeError('template name cannot be empty');
  const template = scope.templates.find((t) => t.name === name);
  if (!template) throw new NodeError(`template ${name} not found`);
  return { template: withDefaults(op, template), scope };
}

/** spec.templateDefaults merged under the template (strategic merge, one level deep for objects). */
function withDefaults(op: Operation, template: Template): Template {
  const defaults = op.workflow.spec.templateDefaults;
  if (!defaults) return template;
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(template)) {
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  // A default container must not turn a steps or DAG template into a pod.
  const kinds = ['container', 'script', 'containerSet', 'steps', 'dag', 'suspend', 'resource', 'http', 'data', 'plugin'];
  const own = kinds.filter((k) => k in template);
  if (own.length > 0) for (const k of kinds) if (!own.includes(k) && !(k === 'container' && own.includes('script'))) delete merged[k];
  if (own.includes('script') && isPlainObject(merged.container)) {
    merged.script = { ...merged.container, ...(template.script ?? {}) };
    delete merged.container;
  }
  return merged as unknown as Template;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type TemplateKind = 'container' | 'script' | 'containerSet' | 'steps' | 'dag' | 'suspend' | 'resource' | 'http' | 'data' | 'plugin';

export function templateKind(template: Template): TemplateKind | undefined {
  const kinds: TemplateKind[] = ['container', 'script', 'containerSet', 'steps', 'dag', 'suspend', 'resource', 'http', 'data', 'plugin'];
  return kinds.find((k) => template[k] !== undefined && template[k] !== null);
}
