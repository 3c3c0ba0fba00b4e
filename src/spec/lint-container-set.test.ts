// lint's containerSet rules (containerset.md §1.2, and the in-pod retry settings of §1.7): each
// with a manifest that breaks it, where the problem is reported, and a manifest that keeps it.

import { describe, expect, it } from 'vitest';
import { loadDocuments } from './load.js';
import { formatProblem, lint, type LintProblem } from './lint.js';

function lintText(text: string): LintProblem[] {
  return lint(loadDocuments(text, 'wf.yaml'));
}

function problemsOf(text: string, severity: 'error' | 'warning' = 'error'): string[] {
  return lintText(text)
    .filter((p) => p.severity === severity)
    .map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

/** A Workflow whose one template, "main", has `body` (at four spaces) after its name, from line 8. */
function workflow(body: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cs-}
spec:
  entrypoint: main
  templates:
  - name: main
${body}`;
}

const P = 'spec.templates[0].containerSet';

describe('containerSet containers', () => {
  it('needs at least one', () => {
    const fix = 'list what runs in the pod under containerSet.containers, e.g. containers: [{name: main, image: alpine}]';
    expect(problemsOf(workflow('    containerSet:\n      containers: []\n'))).toEqual([
      `9:7 ${P}.containers: containers must have at least one container: ${fix}`,
    ]);
    expect(problemsOf(workflow('    containerSet: {volumeMounts: []}\n'))).toEqual([`8:5 ${P}: containers must have at least one container: ${fix}`]);
  });

  it('needs unique, valid names', () => {
    const text = workflow(`    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: a, image: alpine}
      - {name: "-b", image: alpine}
      - {name: "", image: alpine}
      - {image: alpine}
`);
    expect(problemsOf(text)).toEqual([
      `11:10 ${P}.containers[1].name: containers[1].name 'a' is not unique: every container of a containerSet needs its own name; rename one of them`,
      `12:10 ${P}.containers[2].name: containers[2].name: '-b' is invalid: a container name must consist of alphanumeric characters or '-', and start with an alphanumeric character`,
      `13:10 ${P}.containers[3].name: containers[3].name is required: give the container a name`,
      `14:9 ${P}.containers[4]: ContainerNode is missing the required field "name"`,
    ]);
  });

  it('refuses names Argo uses for its own containers, and warns about names Kubernetes refuses', () => {
    const text = workflow(`    containerSet:
      containers:
      - {name: wait, image: alpine}
      - {name: Main, image: alpine}
      - {name: ok-1, image: alpine}
`);
    expect(problemsOf(text)).toEqual([
      `10:10 ${P}.containers[0].name: templates.main.containerSet.containers: "wait" is a reserved Argo container name: Argo adds a container of that name to the pod; rename this one`,
    ]);
    expect(problemsOf(text, 'warning')).toEqual([
      `11:10 ${P}.containers[1].name: Kubernetes refuses the container name 'Main': it must be lowercase letters, digits or '-', start and end with a letter or digit, and be at most 63 characters`,
    ]);
  });
});

describe('containerSet dependencies', () => {
  it('must name containers of the same set', () => {
    const text = workflow(`    containerSet:
      containers:
      - {name: prepare, image: alpine}
      - {name: main, image: alpine, dependencies: [prepar, later]}
`);
    expect(problemsOf(text)).toEqual([
      `11:52 ${P}.containers[1].dependencies[0]: containers.main dependency 'prepar' not defined: dependencies name other containers of this containerSet, did you mean "prepare"?`,
      `11:60 ${P}.containers[1].dependencies[1]: containers.main dependency 'later' not defined: dependencies name other containers of this containerSet`,
    ]);
  });

  it('must not form a cycle, printed as Argo does', () => {
    const text = workflow(`    containerSet:
      containers:
      - {name: a, image: alpine, dependencies: [b]}
      - {name: b, image: alpine, dependencies: [a]}
`);
    const problems = lintText(text);
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`)).toEqual([
      `10:49 ${P}.containers[0].dependencies[0]: containers dependency cycle detected: b->a->b: containers that wait for each other never start; remove one of these dependencies`,
    ]);
    expect(formatProblem(problems[0]!)).toBe(
      `wf.yaml:10:49: containers dependency cycle detected: b->a->b: containers that wait for each other never start; remove one of these dependencies (${P}.containers[0].dependencies[0])`,
    );
    const longer = workflow(`    containerSet:
      containers:
      - {name: c, image: alpine, dependencies: [a]}
      - {name: a, image: alpine, dependencies: [b]}
      - {name: b, image: alpine, dependencies: [c]}
      - {name: self, image: alpine, dependencies: [self]}
`);
    expect(problemsOf(longer)).toEqual([
      `11:49 ${P}.containers[1].dependencies[0]: containers dependency cycle detected: b->c->a->b: containers that wait for each other never start; remove one of these dependencies`,
    ]);
    expect(problemsOf(longer.replace('dependencies: [c]', 'dependencies: []'))).toEqual([
      `13:52 ${P}.containers[3].dependencies[0]: containers dependency cycle detected: self->self: containers that wait for each other never start; remove one of these dependencies`,
    ]);
  });

  it('accepts a graph', () => {
    const text = workflow(`    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: b, image: alpine, dependencies: [a]}
      - {name: c, image: alpine, dependencies: [a]}
      - {name: main, image: alpine, dependencies: [b, c]}
`);
    expect(lintText(text)).toEqual([]);
  });
});

describe('containerSet inputs and outputs', () => {
  const set = `    containerSet:
      volumeMounts: [{name: ws, mountPath: /ws}]
      containers:
      - {name: a, image: alpine}
      - {name: NAME, image: alpine, dependencies: [a]}
    volumes: [{name: ws, emptyDir: {}}]
`;

  it('go through a container named "main"', () => {
    const text = workflow(`    outputs:\n      parameters: [{name: p, valueFrom: {path: /ws/p}}]\n${set}`);
    expect(problemsOf(text.replace('NAME', 'b'))).toEqual([
      `12:7 ${P}.containers: templates.main.containerSet.containers must have a container named "main" for input or output: Argo loads inputs into, and reads outputs from, the container called "main"; name one container main`,
    ]);
    expect(problemsOf(text.replace('NAME', 'main'))).toEqual([]);
    const inputs = workflow(`    inputs:\n      artifacts: [{name: data, path: /ws/in, raw: {data: x}}]\n${set}`);
    expect(problemsOf(inputs.replace('NAME', 'b'))).toHaveLength(1);
    // Input parameters are substituted, not loaded into a container: no "main" needed.
    const params = workflow(`    inputs:\n      parameters: [{name: x, value: "1"}]\n${set}`);
    expect(problemsOf(params.replace('NAME', 'b'))).toEqual([]);
  });

  it('need a path for an output parameter', () => {
    const text = workflow(`    outputs:\n      parameters: [{name: p, valueFrom: {default: x}}]\n${set}`).replace('NAME', 'main');
    expect(problemsOf(text)).toEqual([
      '9:30 spec.templates[0].outputs.parameters[0].valueFrom: templates.main.outputs.parameters.p.path must be specified for ContainerSet templates: a containerSet\'s output parameter is read from a file; write valueFrom: {path: <file>}',
    ]);
  });
});

describe('containerSet volumeMounts', () => {
  it('mount one volume per path', () => {
    const text = workflow(`    containerSet:
      volumeMounts:
      - {name: ws, mountPath: /ws}
      - {name: other, mountPath: /ws}
      - {name: other, mountPath: /other}
      containers: [{name: main, image: alpine}]
`);
    expect(problemsOf(text)).toEqual([
      `11:23 ${P}.volumeMounts[1].mountPath: volumeMounts[1].mountPath '/ws' already mounted in volumeMounts.ws: one path holds one volume; change this mountPath or drop the mount`,
    ]);
  });
});

describe('containerSet retryStrategy', () => {
  const retry = (r: string) => workflow(`    containerSet:\n      retryStrategy: ${r}\n      containers: [{name: main, image: alpine}]\n`);

  it('takes a whole number of runs and a Go duration', () => {
    expect(problemsOf(retry('{retries: "2", duration: 300ms}'))).toEqual([]);
    expect(problemsOf(retry('{retries: 3, duration: 1m30s}'), 'warning')).toEqual([]);
    expect(problemsOf(retry('{retries: two, duration: 5 seconds}'))).toEqual([
      `9:23 ${P}.retryStrategy.retries: retryStrategy.retries 'two' is not a whole number: it is how many times a failing container runs, e.g. retries: 3`,
      `9:37 ${P}.retryStrategy.duration: retryStrategy.duration "5 seconds" is not a duration: it is the wait between two runs of a failing container, written with a unit, e.g. "5s" or "300ms"`,
    ]);
    expect(problemsOf(retry('{duration: "-5s"}'))).toEqual([
      `9:23 ${P}.retryStrategy.duration: retryStrategy.duration "-5s": duration has to be positive (it is the wait between two runs of a failing container)`,
    ]);
  });

  it('warns about what Argo and argot read differently', () => {
    const text = retry('{retries: 0, duration: "30"}');
    expect(problemsOf(text)).toEqual([]);
    expect(problemsOf(text, 'warning')).toEqual([
      `9:23 ${P}.retryStrategy.retries: retries: 0 means no run at all in Argo (retries counts runs, not re-runs), so every container would exit 0 without running; argot runs it once. Write retries: 1, or drop retryStrategy`,
      `9:35 ${P}.retryStrategy.duration: retryStrategy.duration "30" has no unit: Argo reads it with Go's time.ParseDuration and every container fails with "failed to get retry strategy" (argot takes it as seconds); write "30s"`,
    ]);
  });
});

describe('containerSet in other places', () => {
  it('is checked in inline templates and in WorkflowTemplates', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: main
    steps:
    - - name: s
        inline:
          containerSet: {containers: [{name: a, image: alpine, dependencies: [a]}]}
`;
    expect(problemsOf(text)).toEqual([
      '10:79 spec.templates[0].steps[0][0].inline.containerSet.containers[0].dependencies[0]: containers dependency cycle detected: a->a: containers that wait for each other never start; remove one of these dependencies',
    ]);
  });
});
