import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { loadDocuments } from './load.js';

const WORKFLOW = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      args: ["a", "b"]
`;

function only(text: string) {
  const docs = loadDocuments(text, 'wf.yaml');
  expect(docs).toHaveLength(1);
  return docs[0]!;
}

function thrown(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}

describe('loadDocuments: positions', () => {
  it('points at the key of a map entry', () => {
    const doc = only(WORKFLOW);
    expect(doc.position(['spec', 'entrypoint'])).toEqual({ line: 6, col: 3 });
    expect(doc.position(['spec', 'templates', 0, 'container', 'image'])).toEqual({ line: 10, col: 7 });
  });

  it('points at the item of a list', () => {
    const doc = only(WORKFLOW);
    expect(doc.position(['spec', 'templates', 0])).toEqual({ line: 8, col: 5 });
    expect(doc.position(['spec', 'templates', 0, 'container', 'args', 1])).toEqual({ line: 11, col: 19 });
  });

  it('gives the document start for the empty path and undefined for what is not there', () => {
    const doc = only(WORKFLOW);
    expect(doc.position([])).toEqual({ line: 1, col: 1 });
    expect(doc.position(['spec', 'nothing'])).toBeUndefined();
    expect(doc.position(['spec', 'templates', 5])).toBeUndefined();
  });

  it('counts lines from the start of the file in later documents', () => {
    const docs = loadDocuments(`${WORKFLOW}---\n${WORKFLOW}`, 'two.yaml');
    expect(docs.map((d) => d.index)).toEqual([0, 1]);
    expect(docs[1]!.position(['spec', 'entrypoint'])).toEqual({ line: 18, col: 3 });
  });

  it('finds keys brought in by a merge key', () => {
    const doc = only('base: &b\n  image: alpine\nc:\n  <<: *b\n  name: x\n');
    expect(doc.object).toEqual({ base: { image: 'alpine' }, c: { image: 'alpine', name: 'x' } });
    expect(doc.position(['c', 'image'])).toEqual({ line: 2, col: 3 });
  });
});

describe('loadDocuments: YAML 1.1 as Go reads it', () => {
  it('reads yes/no/on/off as booleans and 0-prefixed numbers as octal', () => {
    expect(only('a: yes\nb: no\nc: on\nd: Off\ne: 010\nf: 0755\ng: 1_000\nh: 0x1F\n').object).toEqual({
      a: true,
      b: false,
      c: true,
      d: false,
      e: 8,
      f: 493,
      g: 1000,
      h: 31,
    });
  });

  it('keeps timestamps, base-60 numbers and a lone dot as strings, as go-yaml v2 does', () => {
    expect(only('a: 2024-01-01\nb: 1:30\nc: .\nd: 1.5\ne: .inf\n').object).toEqual({
      a: '2024-01-01',
      b: '1:30',
      c: '.',
      d: 1.5,
      e: Infinity,
    });
  });

  it('tells ints from floats for Go-faithful string conversion', () => {
    const doc = only('a: 1\nb: 1.0\nc: 1e3\nd: text\n');
    expect(doc.numberKind?.(['a'])).toBe('int');
    expect(doc.numberKind?.(['b'])).toBe('float');
    expect(doc.numberKind?.(['c'])).toBe('float');
    expect(doc.numberKind?.(['d'])).toBeUndefined();
  });

  it('turns scalar keys into strings like sigs.k8s.io/yaml', () => {
    expect(only('1: a\ntrue: b\n1.5: c\n').object).toEqual({ '1': 'a', true: 'b', '1.5': 'c' });
    // go-yaml v2 reads y and n as booleans, even as keys.
    const yn = only('y: 1\nn: 2\n');
    expect(yn.object).toEqual({ true: 1, false: 2 });
    expect(yn.warnings?.map((w) => w.message)).toEqual([
      'the key "y" is read as the boolean true (YAML 1.1, as Argo reads it); quote it to keep it a string',
      'the key "n" is read as the boolean false (YAML 1.1, as Argo reads it); quote it to keep it a string',
    ]);
  });

  it('accepts duplicate keys, last one winning, with a warning', () => {
    const doc = only('a: 1\nb: 2\na: 3\n');
    expect(doc.object).toEqual({ a: 3, b: 2 });
    expect(doc.warnings).toEqual([{ path: ['a'], message: 'duplicate key "a": the last one wins' }]);
  });

  it('rejects a key that is a collection, such as an unquoted {{…}}', () => {
    const err = thrown(() => loadDocuments('args:\n  {{inputs.parameters.x}}: 1\n', 'bad.yaml'));
    expect(err.code).toBe('yaml-collection-key');
    expect(err.message).toMatch(/^bad\.yaml:2:3: a map key must be a string/);
  });
});

describe('loadDocuments: documents and formats', () => {
  it('skips empty documents but keeps stream indices', () => {
    const docs = loadDocuments(`---\n# nothing here\n---\n${WORKFLOW}---\n`, 'f.yaml');
    expect(docs).toHaveLength(1);
    expect(docs[0]!.index).toBe(1);
  });

  it('returns nothing for an empty file', () => {
    expect(loadDocuments('', 'empty.yaml')).toEqual([]);
    expect(loadDocuments('# just a comment\n', 'empty.yaml')).toEqual([]);
  });

  it('reads JSON, with positions', () => {
    const json = '{\n  "apiVersion": "argoproj.io/v1alpha1",\n  "kind": "Workflow",\n  "spec": {"entrypoint": "main", "n": 1.0}\n}\n';
    const doc = only(json);
    expect(doc.object).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', spec: { entrypoint: 'main', n: 1 } });
    expect(doc.position(['spec', 'entrypoint'])).toEqual({ line: 4, col: 12 });
    expect(doc.numberKind?.(['spec', 'n'])).toBe('float');
  });

  it('accepts the under-indented closing line of a multi-line flow scalar, as go-yaml does', () => {
    const text = [
      'container:',
      '  command: [sh, -c]',
      '  args: ["',
      '    echo one &&',
      '    echo two',
      '  "]',
      '  image: alpine',
      '',
    ].join('\n');
    const doc = only(text);
    expect(doc.object).toEqual({ container: { command: ['sh', '-c'], args: [' echo one && echo two '], image: 'alpine' } });
    expect(doc.position(['container', 'image'])).toEqual({ line: 7, col: 3 });
  });

  it('reports a syntax error as file:line:col', () => {
    const err = thrown(() => loadDocuments('a: [1, 2\nb: 3\n', 'broken.yaml'));
    expect(err.code).toBe('yaml-syntax');
    expect(err.file).toBe('broken.yaml');
    expect(err.message).toMatch(/^broken\.yaml:\d+:\d+: /);
  });
});
