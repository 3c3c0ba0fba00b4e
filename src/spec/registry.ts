// Where lint (and later the engine) looks up the WorkflowTemplates and ClusterWorkflowTemplates
// that templateRef and workflowTemplateRef name.

import type { ClusterWorkflowTemplate, Resource, WorkflowTemplate } from './types.js';

export interface TemplateRegistry {
  getWorkflowTemplate(name: string, namespace?: string): WorkflowTemplate | undefined;
  getClusterWorkflowTemplate(name: string): ClusterWorkflowTemplate | undefined;
}

/** Templates held in memory, as loaded from files. */
export class InMemoryTemplateRegistry implements TemplateRegistry {
  private readonly workflowTemplates = new Map<string, WorkflowTemplate[]>();
  private readonly clusterTemplates = new Map<string, ClusterWorkflowTemplate>();

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.add(r);
  }

  /** Adds a template; other kinds are ignored. A later template of the same name and namespace wins. */
  add(resource: Resource): void {
    const name = resource.metadata.name;
    if (name === undefined) return;
    if (resource.kind === 'ClusterWorkflowTemplate') {
      this.clusterTemplates.set(name, resource);
    } else if (resource.kind === 'WorkflowTemplate') {
      const same = (this.workflowTemplates.get(name) ?? []).filter((t) => t.metadata.namespace !== resource.metadata.namespace);
      this.workflowTemplates.set(name, [...same, resource]);
    }
  }

  /**
   * Files rarely say which namespace they belong to, so a template without a namespace matches any,
   * and a lookup without one takes the first template of that name.
   */
  getWorkflowTemplate(name: string, namespace?: string): WorkflowTemplate | undefined {
    const candidates = this.workflowTemplates.get(name) ?? [];
    if (namespace === undefined) return candidates[0];
    return (
      candidates.find((t) => t.metadata.namespace === namespace) ?? candidates.find((t) => t.metadata.namespace === undefined)
    );
  }

  getClusterWorkflowTemplate(name: string): ClusterWorkflowTemplate | undefined {
    return this.clusterTemplates.get(name);
  }
}

/** Looks in each registry in turn: the first that knows the template answers. */
export function layeredRegistry(...registries: readonly TemplateRegistry[]): TemplateRegistry {
  return {
    getWorkflowTemplate: (name, namespace) => {
      for (const r of registries) {
        const found = r.getWorkflowTemplate(name, namespace);
        if (found) return found;
      }
      return undefined;
    },
    getClusterWorkflowTemplate: (name) => {
      for (const r of registries) {
        const found = r.getClusterWorkflowTemplate(name);
        if (found) return found;
      }
      return undefined;
    },
  };
}
