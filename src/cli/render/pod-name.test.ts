import { describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { fnv32a, podNameOf } from './pod-name.js';

const wf = (annotations?: Record<string, string>): Workflow => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'steps-z2zdn', annotations },
  spec: {},
});

const pod = (name: string, fields: Partial<NodeStatus> = {}): NodeStatus => ({
  id: `steps-z2zdn-${fnv32a(name)}`,
  name,
  displayName: name,
  type: 'Pod',
  phase: 'Succeeded',
  templateName: 'print-message',
  ...fields,
});

describe('podNameOf', () => {
  it('uses the v2 form <workflow>-<template>-<hash of node name>', () => {
    // The hash Argo's docs show for this node name.
    expect(fnv32a('steps-z2zdn[0].hello1')).toBe(27420706);
    expect(podNameOf(wf(), pod('steps-z2zdn[0].hello1'))).toBe('steps-z2zdn-print-message-27420706');
  });

  it('hashes the node name, and takes the template from a templateRef', () => {
    const node = pod('steps-z2zdn[0].a', { id: `steps-z2zdn-${fnv32a('steps-z2zdn[0].a')}`, templateRef: { name: 'lib', template: 'say' } });
    expect(podNameOf(wf(), node)).toBe(`steps-z2zdn-say-${fnv32a('steps-z2zdn[0].a')}`);
  });

  it('names the root pod after the workflow', () => {
    expect(podNameOf(wf(), pod('steps-z2zdn', { id: 'steps-z2zdn' }))).toBe('steps-z2zdn');
  });

  it('leaves the template out for inline templates', () => {
    expect(podNameOf(wf(), pod('steps-z2zdn.a.inline', { templateName: '' }))).toMatch(/^steps-z2zdn-\d+$/);
  });

  it('uses the node ID when the workflow asks for v1 pod names', () => {
    const node = pod('steps-z2zdn[0].hello1');
    expect(podNameOf(wf({ 'workflows.argoproj.io/pod-name-format': 'v1' }), node)).toBe(node.id);
  });

  it('has no pod for nodes that run none', () => {
    expect(podNameOf(wf(), pod('steps-z2zdn[0]', { type: 'StepGroup' }))).toBeUndefined();
  });
});
