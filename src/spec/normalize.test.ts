import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { documentFromObject, loadDocuments } from './load.js';
import { resourcesOf, toResource } from './normalize.js';
import type { Workflow } from './types.js';

function workflow(specYaml: string): Workflow {
  const text = `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: t-\nspec:\n${specYaml}`;
  const docs = loadDocuments(text, 'wf.yaml');
  const r = toResource(docs[0]!);
  if (r.kind !== 'Workflow') throw new Error('not a workflow');
  return r;
}

function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}

describe('toResource: AnyString fields become the strings Go prints', () => {
  const wf = workflow(`  arguments:
    parameters:
    - name: count
      value: 5
    - name: ratio
      value: 0.5
    - name: flag
      value: yes
    - name: big
      value: 1e21
    - name: choice
      default: 1.0
      enum: [1, true, x]
    - name: empty
      value:
  templates:
  - name: main
    outputs:
      parameters:
      - name: out
        valueFrom:
          path: /tmp/out
          default: 0
`);

  it('coerces value, default and enum items', () => {
    const params = wf.spec.arguments?.parameters ?? [];
    expect(params.map((p) => p.value)).toEqual(['5', '0.5', 'true', '1000000000000000000000', undefined, undefined]);
    expect(params[4]).toEqual({ name: 'choice', default: '1', enum: ['1', 'true', 'x'] });
  });

  it('drops a null value the way Go leaves a nil pointer', () => {
    expect(wf.spec.arguments?.parameters?.[5]).toEqual({ name: 'empty' });
  });

  it('coerces valueFrom.default', () => {
    expect(wf.spec.templates?.[0]?.outputs?.parameters?.[0]?.valueFrom?.default).toBe('0');
  });
});

describe('toResource: other fields', () => {
  it('turns withSequence numbers into strings and leaves retry limits as written', () => {
    const wf = workflow(`  templates:
  - name: main
    retryStrategy: {limit: 3}
    steps:
    - - name: a
        template: b
        withSequence: {count: 5, start: 1}
  - name: b
    retryStrategy: {limit: "2"}
    container: {image: alpine}
`);
    expect(wf.spec.templates?.[0]?.steps?.[0]?.[0]?.withSequence).toEqual({ count: '5', start: '1' });
    expect(wf.spec.templates?.[0]?.retryStrategy?.limit).toBe(3);
    expect(wf.spec.templates?.[1]?.retryStrategy?.limit).toBe('2');
  });

  it('converts scalars in string fields like sigs.k8s.io/yaml: ints as digits, floats at float32 precision', () => {
    const wf = workflow(`  templates:
  - name: main
    container:
      image: alpine
      args: [1, 1.0, 1e6, 3.14159265358979, true]
`);
    expect(wf.spec.templates?.[0]?.container?.args).toEqual(['1', '1', '1e+06', '3.1415927', 'true']);
  });

  it('keeps the deprecated singular semaphore and mutex as written', () => {
    const wf = workflow(`  synchronization:
    semaphore:
      configMapKeyRef: {name: my-config, key: workflow}
    mutex: {name: m}
  templates: []
`);
    expect(wf.spec.synchronization).toEqual({ semaphore: { configMapKeyRef: { name: 'my-config', key: 'workflow' } }, mutex: { name: 'm' } });
  });

  it('keeps fields the schema does not know, untouched', () => {
    const wf = workflow(`  somethingNew: 5\n  templates: []\n`);
    expect(wf.spec['somethingNew']).toBe(5);
  });

  it('does not share objects with the loaded document', () => {
    const doc = documentFromObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'x' }, spec: { affinity: { a: 1 } } }, 'api');
    const r = toResource(doc) as Workflow;
    (r.spec['affinity'] as { a: number }).a = 2;
    expect((doc.object as { spec: { affinity: { a: number } } }).spec.affinity.a).toBe(1);
  });

  it('reads ConfigMap data values as strings', () => {
    const docs = loadDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  count: 3\n  b: yes\n', 'cm.yaml');
    expect(toResource(docs[0]!)).toMatchObject({ kind: 'ConfigMap', data: { count: '3', b: 'true' } });
  });
});

describe('toResource: kinds', () => {
  const load = (text: string) => loadDocuments(text, 'x.yaml')[0]!;

  it('rejects a wrong apiVersion with the one to use', () => {
    const err = specError(() => toResource(load('apiVersion: argoproj.io/v1\nkind: Workflow\nspec: {}\n')));
    expect(err.code).toBe('bad-api-version');
    expect(err.message).toBe('x.yaml:1:1: apiVersion "argoproj.io/v1" is not supported for Workflow; use "argoproj.io/v1alpha1"');
    expect(err.fix).toBe('apiVersion: argoproj.io/v1alpha1');
    expect(err.expected).toBe('argoproj.io/v1alpha1');
    expect(err.path).toBe('apiVersion');
  });

  it('rejects a misspelt Argo kind with a suggestion', () => {
    const err = specError(() => toResource(load('apiVersion: argoproj.io/v1alpha1\nkind: Workfow\nspec: {}\n')));
    expect(err.code).toBe('unknown-kind');
    expect(err.message).toBe('x.yaml:2:1: unknown kind "Workfow", did you mean "Workflow"?');
  });

  it('refuses kinds it does not run, and a workflow without a spec', () => {
    expect(specError(() => toResource(load('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\n'))).code).toBe('unsupported-kind');
    expect(specError(() => toResource(load('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n'))).code).toBe('invalid-value');
    expect(specError(() => toResource(load('- a\n- b\n'))).code).toBe('not-an-object');
  });

  it('resourcesOf skips objects argot does not run but still throws on broken Argo ones', () => {
    const docs = loadDocuments(
      'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n---\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: t}\nspec: {templates: []}\n',
      'mixed.yaml',
    );
    expect(resourcesOf(docs).map((r) => r.kind)).toEqual(['WorkflowTemplate']);
    expect(() => resourcesOf(loadDocuments('apiVersion: argoproj.io/v1alpha1\nkind: Nope\n', 'n.yaml'))).toThrow(SpecError);
  });
});
