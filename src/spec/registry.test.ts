import { describe, expect, it } from 'vitest';
import { InMemoryTemplateRegistry, layeredRegistry } from './registry.js';
import type { ClusterWorkflowTemplate, WorkflowTemplate } from './types.js';

const wt = (name: string, namespace?: string): WorkflowTemplate => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: namespace === undefined ? { name } : { name, namespace },
  spec: { templates: [] },
});

const cwt = (name: string): ClusterWorkflowTemplate => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ClusterWorkflowTemplate',
  metadata: { name },
  spec: { templates: [] },
});

describe('InMemoryTemplateRegistry', () => {
  it('prefers the template of the asked namespace, then one without a namespace', () => {
    const inArgo = wt('t', 'argo');
    const anywhere = wt('t');
    const registry = new InMemoryTemplateRegistry([inArgo, anywhere]);
    expect(registry.getWorkflowTemplate('t', 'argo')).toBe(inArgo);
    expect(registry.getWorkflowTemplate('t', 'other')).toBe(anywhere);
    expect(registry.getWorkflowTemplate('t')).toBe(inArgo);
    expect(registry.getWorkflowTemplate('u')).toBeUndefined();
  });

  it('keeps cluster templates apart, and ignores other kinds', () => {
    const registry = new InMemoryTemplateRegistry([cwt('c'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]);
    expect(registry.getClusterWorkflowTemplate('c')?.kind).toBe('ClusterWorkflowTemplate');
    expect(registry.getWorkflowTemplate('c')).toBeUndefined();
  });

  it('lets a later template replace one of the same name and namespace', () => {
    const second = wt('t', 'argo');
    const registry = new InMemoryTemplateRegistry([wt('t', 'argo'), second]);
    expect(registry.getWorkflowTemplate('t', 'argo')).toBe(second);
  });
});

describe('layeredRegistry', () => {
  it('asks each registry in turn', () => {
    const first = new InMemoryTemplateRegistry([wt('a')]);
    const second = new InMemoryTemplateRegistry([wt('a'), wt('b'), cwt('c')]);
    const both = layeredRegistry(first, second);
    expect(both.getWorkflowTemplate('a')).toBe(first.getWorkflowTemplate('a'));
    expect(both.getWorkflowTemplate('b')).toBe(second.getWorkflowTemplate('b'));
    expect(both.getClusterWorkflowTemplate('c')).toBeDefined();
  });
});
