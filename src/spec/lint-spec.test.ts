// lint's semantic rules: each with a manifest that breaks it and one that keeps it.

import { describe, expect, it } from 'vitest';
import { loadDocuments } from './load.js';
import { lint, type LintProblem } from './lint.js';
import { toResource } from './normalize.js';
import { InMemoryTemplateRegistry, type TemplateRegistry } from './registry.js';

/** A Workflow with the given `spec:` body (written at two spaces of indentation). */
function workflow(spec: string, kind = 'Workflow'): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: t\nspec:\n${spec}`;
}

function lintText(text: string, registry?: TemplateRegistry): LintProblem[] {
  return lint(loadDocuments(text, 'wf.yaml'), registry);
}

function errorsOf(text: string, registry?: TemplateRegistry): string[] {
  return lintText(text, registry)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.path}: ${p.message}`);
}

function warningsOf(text: string, registry?: TemplateRegistry): string[] {
  return lintText(text, registry)
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.path}: ${p.message}`);
}

const LEAF = `  - name: leaf
    container: {image: alpine}
`;

describe('entrypoint', () => {
  it('is required in a Workflow', () => {
    const problems = lintText(workflow(`  templates:\n${LEAF}`));
    expect(problems).toMatchObject([
      { path: 'spec.entrypoint', line: 5, col: 1, message: 'missing "entrypoint": set it to the name of the template the workflow starts with' },
    ]);
  });

  it('is not required with a workflowTemplateRef, nor in a WorkflowTemplate', () => {
    expect(errorsOf(workflow('  workflowTemplateRef: {name: elsewhere}\n'))).toEqual([]);
    expect(errorsOf(workflow(`  templates:\n${LEAF}`, 'WorkflowTemplate'))).toEqual([]);
  });

  it('must name a template, with a suggestion', () => {
    expect(errorsOf(workflow(`  entrypoint: lef\n  templates:\n${LEAF}`))).toEqual([
      'spec.entrypoint: entrypoint refers to template "lef", which does not exist, did you mean "leaf"?',
    ]);
    expect(errorsOf(workflow(`  entrypoint: leaf\n  templates:\n${LEAF}`))).toEqual([]);
  });

  it('needs its input parameters from spec.arguments', () => {
    const spec = `  entrypoint: main
  ARGS
  templates:
  - name: main
    inputs:
      parameters: [{name: message}, {name: other, default: x}]
    container: {image: alpine}
`;
    expect(errorsOf(workflow(spec.replace('  ARGS\n', '')))).toEqual([
      'spec.entrypoint: inputs.parameters.message was not supplied: template "main" needs it and the spec.arguments do not pass it',
    ]);
    expect(errorsOf(workflow(spec.replace('ARGS', 'arguments: {parameters: [{name: message, value: hi}]}')))).toEqual([]);
    // A parameter without a value is fine to lint: it is supplied at submit time with -p.
    expect(errorsOf(workflow(spec.replace('ARGS', 'arguments: {parameters: [{name: message}]}')))).toEqual([]);
  });
});

describe('template references', () => {
  it('checks steps, tasks, onExit and hooks', () => {
    const spec = `  entrypoint: main
  onExit: cleanupp
  hooks:
    running: {expression: 'workflow.status == "Running"', template: watcher}
  templates:
  - name: main
    steps:
    - - name: a
        template: leef
        onExit: nope
        hooks:
          exit: {template: gone}
  - name: dag
    dag:
      tasks:
      - {name: t, template: missing}
${LEAF}  - name: cleanup
    container: {image: alpine}
`;
    expect(errorsOf(workflow(spec))).toEqual([
      'spec.onExit: onExit refers to template "cleanupp", which does not exist, did you mean "cleanup"?',
      'spec.hooks.running.template: hook refers to template "watcher", which does not exist',
      'spec.templates[0].steps[0][0].template: step refers to template "leef", which does not exist, did you mean "leaf"?',
      'spec.templates[0].steps[0][0].onExit: onExit refers to template "nope", which does not exist',
      'spec.templates[0].steps[0][0].hooks.exit.template: hook refers to template "gone", which does not exist',
      'spec.templates[1].dag.tasks[0].template: task refers to template "missing", which does not exist',
    ]);
  });

  it('needs exactly one of template, templateRef and inline', () => {
    const spec = `  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: none
      - name: both
        template: leaf
        inline: {container: {image: alpine}}
      - name: inline
        inline: {container: {image: alpine}}
${LEAF}`;
    expect(errorsOf(workflow(spec))).toEqual([
      'spec.templates[0].steps[0][0]: a step needs one of "template", "templateRef" or "inline"',
      'spec.templates[0].steps[0][1].inline: a step takes only one of "template", "inline"',
    ]);
  });

  describe('templateRef', () => {
    const library = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: greet
    inputs: {parameters: [{name: who}]}
    container: {image: alpine}
`;
    const caller = (ref: string, args = '') => `${workflow(`  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: call
        templateRef: ${ref}
${args}`)}`;

    it('resolves against WorkflowTemplates in the same set of documents', () => {
      expect(errorsOf(`${library}---\n${caller('{name: lib, template: greeet}')}`)).toEqual([
        'spec.templates[0].steps[0][0].templateRef.template: WorkflowTemplate "lib" has no template "greeet", did you mean "greet"?',
      ]);
      expect(errorsOf(`${library}---\n${caller('{name: lib, template: greet}')}`)).toEqual([
        'spec.templates[0].steps[0][0].templateRef.template: inputs.parameters.who was not supplied: template "greet" needs it and the step\'s arguments do not pass it',
      ]);
      const args = '        arguments: {parameters: [{name: who, value: me}]}\n';
      expect(errorsOf(`${library}---\n${caller('{name: lib, template: greet}', args)}`)).toEqual([]);
    });

    it('resolves against a registry, including cluster templates', () => {
      const registry = new InMemoryTemplateRegistry([
        toResource(loadDocuments(library.replace('kind: WorkflowTemplate', 'kind: ClusterWorkflowTemplate'), 'lib.yaml')[0]!),
      ]);
      expect(errorsOf(caller('{name: lib, template: nope, clusterScope: true}'), registry)).toEqual([
        'spec.templates[0].steps[0][0].templateRef.template: ClusterWorkflowTemplate "lib" has no template "nope"',
      ]);
    });

    it('trusts an unknown WorkflowTemplate, with a warning only when a registry was given', () => {
      const text = caller('{name: elsewhere, template: x}');
      expect(lintText(text)).toEqual([]);
      expect(warningsOf(text, new InMemoryTemplateRegistry())).toEqual([
        'spec.templates[0].steps[0][0].templateRef.name: WorkflowTemplate "elsewhere" is not known here, so the reference is not checked',
      ]);
    });

    it('brings in the templates and entrypoint of a workflowTemplateRef', () => {
      const text = `${library}---\n${workflow('  workflowTemplateRef: {name: lib}\n  entrypoint: greet\n  arguments: {parameters: [{name: who, value: x}]}\n')}`;
      expect(errorsOf(text)).toEqual([]);
      expect(errorsOf(text.replace('entrypoint: greet', 'entrypoint: gret'))).toEqual([
        'spec.entrypoint: entrypoint refers to template "gret", which does not exist, did you mean "greet"?',
      ]);
    });
  });
});

describe('input parameters of called templates', () => {
  const spec = (args: string) => `  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: a
        template: greet
${args}  - name: greet
    inputs:
      parameters:
      - name: who
      - name: greeting
        default: hello
      - name: from-config
        valueFrom: {configMapKeyRef: {name: c, key: k}}
      artifacts:
      - name: data
      - {name: maybe, optional: true}
      - {name: fixed, raw: {data: x}}
    container: {image: alpine}
`;

  it('reports parameters and artifacts nobody supplies', () => {
    expect(errorsOf(workflow(spec('')))).toEqual([
      'spec.templates[0].dag.tasks[0].template: inputs.parameters.who was not supplied: template "greet" needs it and the task\'s arguments do not pass it',
      'spec.templates[0].dag.tasks[0].template: inputs.artifacts.data was not supplied: template "greet" needs it and the task\'s arguments do not pass it',
    ]);
  });

  it('is satisfied by arguments, defaults, valueFrom, optional and inline artifacts', () => {
    const args = '        arguments:\n          parameters: [{name: who, value: me}]\n          artifacts: [{name: data, raw: {data: x}}]\n';
    expect(errorsOf(workflow(spec(args)))).toEqual([]);
  });
});

describe('{{workflow.parameters.x}}', () => {
  const spec = (declared: string) => `  entrypoint: main
  arguments: {parameters: [{name: ${declared}, value: x}]}
  templates:
  - name: main
    container:
      image: alpine
      args: ["{{workflow.parameters.message}}", "{{ workflow.parameters.json }}", "{{=workflow.parameters.other}}"]
`;

  it('must name a declared parameter (json is all of them; expressions are not checked)', () => {
    expect(errorsOf(workflow(spec('mesage')))).toEqual([
      'spec.templates[0].container.args[0]: "{{workflow.parameters.message}}" names a workflow parameter that spec.arguments does not declare, did you mean "mesage"?',
    ]);
    expect(errorsOf(workflow(spec('message')))).toEqual([]);
  });

  it('is only a warning in a WorkflowTemplate, whose users may declare it', () => {
    const text = workflow(spec('mesage'), 'WorkflowTemplate');
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toHaveLength(1);
  });
});

describe('unique names', () => {
  it('rejects duplicate templates, steps in one template, tasks and parameters', () => {
    const spec = `  entrypoint: main
  arguments: {parameters: [{name: p, value: 1}, {name: p, value: 2}]}
  templates:
  - name: main
    steps:
    - - {name: a, template: leaf}
    - - {name: a, template: leaf}
  - name: other
    steps:
    - - {name: a, template: leaf}
  - name: dag
    dag:
      tasks:
      - {name: t, template: leaf}
      - {name: t, template: leaf}
${LEAF}${LEAF}`;
    expect(errorsOf(workflow(spec))).toEqual([
      'spec.arguments.parameters[1].name: duplicate parameter name "p"',
      'spec.templates[0].steps[1][0].name: duplicate step name "a" in this template',
      'spec.templates[2].dag.tasks[1].name: duplicate task name "t" in this DAG',
      'spec.templates[4].name: duplicate template name "leaf"',
    ]);
  });
});

describe('DAG dependencies', () => {
  const dag = (tasks: string) => workflow(`  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${tasks}${LEAF}`);

  it('accepts enhanced depends expressions over known tasks', () => {
    const tasks = `      - {name: A, template: leaf}
      - {name: B-1, template: leaf}
      - {name: C, template: leaf, depends: "(A.Succeeded || B-1.Failed) && !A.Skipped"}
      - {name: D, template: leaf, depends: "C && B-1.AnySucceeded"}
`;
    expect(errorsOf(dag(tasks))).toEqual([]);
  });

  it('reports unknown tasks and results in depends', () => {
    const tasks = `      - {name: A, template: leaf}
      - {name: B, template: leaf, depends: "A.Suceeded || X"}
`;
    expect(errorsOf(dag(tasks))).toEqual([
      'spec.templates[0].dag.tasks[1].depends: "A.Suceeded" is not a task result, did you mean "Succeeded"? (one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed)',
      'spec.templates[0].dag.tasks[1].depends: depends refers to task "X", which is not in this DAG',
    ]);
  });

  it('reports unknown tasks in dependencies', () => {
    const tasks = `      - {name: A, template: leaf}
      - {name: B, template: leaf, dependencies: [A, Z9]}
`;
    expect(errorsOf(dag(tasks))).toEqual([
      'spec.templates[0].dag.tasks[1].dependencies[1]: dependencies names task "Z9", which is not in this DAG',
    ]);
  });

  it('refuses depends and dependencies in one DAG', () => {
    const tasks = `      - {name: A, template: leaf}
      - {name: B, template: leaf, dependencies: [A]}
      - {name: C, template: leaf, depends: A}
`;
    expect(errorsOf(dag(tasks))).toEqual([
      'spec.templates[0].dag: a DAG cannot use both "depends" and "dependencies": write every task\'s dependencies with "depends"',
    ]);
  });

  it('reports a dependency cycle and an unknown target', () => {
    const tasks = `      - {name: A, template: leaf, depends: C}
      - {name: B, template: leaf, depends: A}
      - {name: C, template: leaf, depends: B}
`;
    expect(errorsOf(dag(tasks))).toEqual(['spec.templates[0].dag.tasks[0]: dependency cycle: A -> C -> B -> A']);
    expect(errorsOf(dag(tasks.replace(', depends: C', '')).replace('    dag:\n', '    dag:\n      target: B D\n'))).toEqual([
      'spec.templates[0].dag.target: target "D" is not a task of this DAG',
    ]);
  });
});

describe('template types', () => {
  it('needs exactly one', () => {
    const spec = `  entrypoint: main
  templates:
  - name: main
    inputs: {}
  - name: two
    container: {image: alpine}
    script: {image: alpine, source: echo}
`;
    expect(errorsOf(workflow(spec))).toEqual([
      'spec.templates[0]: template "main" has no type: give it one of container, script, containerSet, steps, dag, suspend, resource, http, data, plugin',
      'spec.templates[1].script: template "two" has more than one type (container, script); keep one',
    ]);
  });
});

describe('deprecated synchronization', () => {
  it('warns about the singular semaphore and mutex and shows the list form', () => {
    const spec = `  entrypoint: leaf
  synchronization:
    semaphore:
      configMapKeyRef: {name: my-config, key: workflow}
  templates:
  - name: leaf
    synchronization:
      mutex: {name: lock}
    container: {image: alpine}
`;
    expect(errorsOf(workflow(spec))).toEqual([]);
    expect(warningsOf(workflow(spec))).toEqual([
      'spec.synchronization.semaphore: "semaphore" is deprecated and was removed in Argo v4.0; write it as a list: semaphores: [{configMapKeyRef: {name: my-config, key: workflow}}]',
      'spec.templates[0].synchronization.mutex: "mutex" is deprecated and was removed in Argo v4.0; write it as a list: mutexes: [{name: lock}]',
    ]);
    expect(lintText(workflow(spec.replace('semaphore:', 'semaphores:\n    -').replace('mutex: {name: lock}', 'mutexes: [{name: lock}]')))).toEqual([]);
  });
});

describe('workflowTemplateRef that lint cannot see', () => {
  it('does not judge the entrypoint against templates it has not got', () => {
    const docs = loadDocuments(
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n  entrypoint: print-message\n  workflowTemplateRef: {name: on-the-server}\n',
      'wf.yaml',
    );
    expect(lint(docs).filter((p) => p.severity === 'error')).toEqual([]);
  });
});
