// lint's synchronization rules (sync.md §1.1, §1.2, §1.16): each with a manifest that breaks it,
// where the problem is reported, and a manifest that keeps it.

import { describe, expect, it } from 'vitest';
import { loadDocuments } from './load.js';
import { formatProblem, lint, type LintProblem } from './lint.js';

function lintText(text: string): LintProblem[] {
  return lint(loadDocuments(text, 'wf.yaml'));
}

/** `line:col path: message` of each error. */
function errorsOf(text: string): string[] {
  return lintText(text)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

function warningsOf(text: string): string[] {
  return lintText(text)
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

/**
 * A Workflow (line 1) whose spec starts at line 6; `sync` is written under spec.synchronization
 * (from line 8) and `tmpl` under the template's synchronization (after the last spec line).
 */
function workflow(sync: string, tmpl = '', kind = 'Workflow', namespace = ''): string {
  const ns = namespace ? `\n  namespace: ${namespace}` : '';
  const wf = sync ? `  synchronization:\n${sync}` : '';
  const t = tmpl ? `    synchronization:\n${tmpl}` : '';
  return `apiVersion: argoproj.io/v1alpha1
kind: ${kind}
metadata:
  name: t${ns}
spec:
  entrypoint: main
${wf}  templates:
  - name: main
${t}    container: {image: alpine}
`;
}

const DUPLICATE = 'a synchronization block lists each lock once (Argo fails the workflow otherwise)';
const DEADLOCK =
  'the template would wait forever for a lock its own workflow holds (the workflow takes it, spec.synchronization.mutexes[0] at line 9, before anything runs and keeps it to the end); request the lock at one level only';

describe('deprecated singular syntax', () => {
  it('is a warning that shows the list form, not an error', () => {
    const text = workflow('    semaphore:\n      configMapKeyRef: {name: my-config, key: workflow}\n', '      mutex: {name: lock}\n');
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '8:5 spec.synchronization.semaphore: "semaphore" is deprecated and was removed in Argo v4.0; write it as a list: semaphores: [{configMapKeyRef: {name: my-config, key: workflow}}]',
      '13:7 spec.templates[0].synchronization.mutex: "mutex" is deprecated and was removed in Argo v4.0; write it as a list: mutexes: [{name: lock}]',
    ]);
  });

  it('also in a CronWorkflow, whose workflow spec is spec.workflowSpec', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: c}
spec:
  schedules: ["* * * * *"]
  workflowSpec:
    entrypoint: main
    synchronization:
      mutex: {name: m}
      mutexes: [{name: m}]
    templates: [{name: main, container: {image: alpine}}]
`;
    expect(warningsOf(text)).toEqual([
      '9:7 spec.workflowSpec.synchronization.mutex: "mutex" is deprecated and was removed in Argo v4.0; write it as a list: mutexes: [{name: m}]',
    ]);
    expect(errorsOf(text)).toEqual([
      `10:17 spec.workflowSpec.synchronization.mutexes[0]: duplicate synchronization item found: mutex "m" is already requested by spec.workflowSpec.synchronization.mutex at line 9; ${DUPLICATE}: remove the deprecated "mutex" field, which asks for the same lock`,
    ]);
  });
});

describe('duplicate synchronization items', () => {
  it('finds the same mutex, semaphore or database lock twice in one block', () => {
    const text = workflow(`    mutexes:
    - name: m
    - name: m
    semaphores:
    - configMapKeyRef: {name: my-config, key: workflow}
    - configMapKeyRef: {name: my-config, key: workflow}
    - database: {key: db}
    - database: {key: db}
`);
    expect(errorsOf(text)).toEqual([
      `10:7 spec.synchronization.mutexes[1]: duplicate synchronization item found: mutex "m" is already requested by spec.synchronization.mutexes[0] at line 9; ${DUPLICATE}: remove this one`,
      `13:7 spec.synchronization.semaphores[1]: duplicate synchronization item found: ConfigMap semaphore "my-config/workflow" is already requested by spec.synchronization.semaphores[0] at line 12; ${DUPLICATE}: remove this one`,
      `15:7 spec.synchronization.semaphores[3]: duplicate synchronization item found: database semaphore "db" is already requested by spec.synchronization.semaphores[2] at line 14; ${DUPLICATE}: remove this one`,
    ]);
  });

  it('counts the singular and the plural form together, in a template too', () => {
    const text = workflow('', '      semaphore: {configMapKeyRef: {name: c, key: k}}\n      semaphores: [{configMapKeyRef: {name: c, key: k}}]\n');
    expect(errorsOf(text)).toEqual([
      `11:20 spec.templates[0].synchronization.semaphores[0]: duplicate synchronization item found: ConfigMap semaphore "c/k" is already requested by spec.templates[0].synchronization.semaphore at line 10; ${DUPLICATE}: remove the deprecated "semaphore" field, which asks for the same lock`,
    ]);
  });

  it('takes an unset namespace as the workflow namespace', () => {
    const sync = '    mutexes:\n    - name: m\n    - {name: m, namespace: argo}\n';
    // The workflow runs in argo: both are argo/Mutex/m.
    expect(errorsOf(workflow(sync, '', 'Workflow', 'argo'))).toEqual([
      `11:7 spec.synchronization.mutexes[1]: duplicate synchronization item found: mutex "m" in namespace "argo" is already requested by spec.synchronization.mutexes[0] at line 10; ${DUPLICATE}: remove this one`,
    ]);
    // It runs where it is submitted, so the two may be different locks.
    expect(errorsOf(workflow(sync))).toEqual([]);
    expect(errorsOf(workflow(sync, '', 'Workflow', 'other'))).toEqual([]);
  });

  it('tells different locks apart: name, key, namespace, mutex or semaphore, memory or database', () => {
    const text = workflow(`    mutexes:
    - name: m
    - {name: m, namespace: other}
    - {name: m, database: true}
    - name: db
    - name: "lock-{{workflow.parameters.a}}"
    - name: "lock-{{workflow.parameters.b}}"
    semaphores:
    - configMapKeyRef: {name: c, key: a}
    - configMapKeyRef: {name: c, key: b}
    - configMapKeyRef: {name: d, key: a}
    - database: {key: db}
`);
    expect(errorsOf(text).filter((e) => e.includes('duplicate'))).toEqual([]);
  });

  it('compares templated names as written', () => {
    const text = workflow('', '      mutexes:\n      - name: "lock-{{inputs.parameters.x}}"\n      - name: "lock-{{inputs.parameters.x}}"\n');
    expect(errorsOf(text)).toEqual([
      `12:9 spec.templates[0].synchronization.mutexes[1]: duplicate synchronization item found: mutex "lock-{{inputs.parameters.x}}" is already requested by spec.templates[0].synchronization.mutexes[0] at line 11; ${DUPLICATE}: remove this one`,
    ]);
  });
});

describe('invalid synchronization items', () => {
  it('refuses a semaphore with both a ConfigMap and a database, or neither', () => {
    const text = workflow(`    semaphores:
    - configMapKeyRef: {name: c, key: k}
      database: {key: k}
    - namespace: other
`);
    expect(errorsOf(text)).toEqual([
      '9:7 spec.synchronization.semaphores[0]: invalid semaphore with both ConfigMapKeyRef and Database: a semaphore takes its limit either from a ConfigMap or from the database; keep one of "configMapKeyRef" and "database"',
      '11:7 spec.synchronization.semaphores[1]: cannot get LockName for a Semaphore without a ConfigMapRef or Database: say where its limit is, with configMapKeyRef: {name: <ConfigMap>, key: <key>} or database: {key: <key>}',
    ]);
  });

  it('refuses empty mutex names and ConfigMap names and keys', () => {
    const text = workflow(
      `    mutexes:
    - name: ""
    - namespace: x
    semaphores:
    - configMapKeyRef: {name: "", key: ""}
    - configMapKeyRef: {key: k}
`,
      '      mutex: {name: ""}\n      semaphores: [{database: {key: ""}}]\n',
    );
    expect(errorsOf(text)).toEqual([
      '9:7 spec.synchronization.mutexes[0].name: mutex name is empty: a mutex is known by its name (Argo errors the workflow with "bug: unable to decode lock"); set name: <lock name>',
      '10:7 spec.synchronization.mutexes[1].name: mutex name is empty: a mutex is known by its name (Argo errors the workflow with "bug: unable to decode lock"); set name: <lock name>',
      '12:25 spec.synchronization.semaphores[0].configMapKeyRef.name: semaphore configMapKeyRef.name is empty: it must name the ConfigMap that holds the limit; set name: <ConfigMap>',
      '12:35 spec.synchronization.semaphores[0].configMapKeyRef.key: semaphore configMapKeyRef.key is empty: it must name the key whose value is the limit; set key: <key>',
      '13:7 spec.synchronization.semaphores[1].configMapKeyRef.name: semaphore configMapKeyRef.name is empty: it must name the ConfigMap that holds the limit; set name: <ConfigMap>',
      '17:15 spec.templates[0].synchronization.mutex.name: mutex name is empty: a mutex is known by its name (Argo errors the workflow with "bug: unable to decode lock"); set name: <lock name>',
      '18:32 spec.templates[0].synchronization.semaphores[0].database.key: semaphore database.key is empty: it must name the database semaphore (its limit is in the sync_limit table); set key: <name>',
    ]);
  });

  it('leaves what the schema check already reported alone', () => {
    const text = workflow(`    semaphores:
    - configMapKeyRef: oops
    - configMapKeyRef: {name: c}
    - configMapKeyRf: {name: c, key: k}
    mutexes:
    - name: {a: 1}
`);
    expect(errorsOf(text)).toEqual([
      '9:7 spec.synchronization.semaphores[0].configMapKeyRef: "configMapKeyRef" must be a ConfigMapKeySelector object, got a string',
      '10:7 spec.synchronization.semaphores[1].configMapKeyRef: ConfigMapKeySelector is missing the required field "key"',
      '11:7 spec.synchronization.semaphores[2].configMapKeyRf: unknown field "configMapKeyRf" in SemaphoreRef, did you mean "configMapKeyRef"?',
      '13:7 spec.synchronization.mutexes[0].name: "name" must be a string, got a map',
    ]);
  });

  it('accepts an empty block and valid locks of every kind', () => {
    expect(lintText(workflow('    {}\n'))).toEqual([]);
    const text = workflow(
      `    semaphores:
    - configMapKeyRef: {name: my-config, key: workflow}
      namespace: other
    - database: {key: bar}
    mutexes:
    - name: m1
    - {name: m2, database: true}
`,
      '      mutexes: [{name: t}]\n      semaphores: [{configMapKeyRef: {name: my-config, key: template}}]\n',
    );
    expect(lintText(text)).toEqual([]);
  });
});

describe('the same lock at workflow level and template level', () => {
  it('is a self-deadlock, reported at the template', () => {
    const text = workflow('    mutexes:\n    - name: m\n', '      mutexes:\n      - name: m\n');
    const problems = lintText(text).filter((p) => p.severity === 'error');
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`)).toEqual([
      `14:9 spec.templates[0].synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by template "main": ${DEADLOCK}`,
    ]);
    expect(formatProblem(problems[0]!)).toBe(
      `wf.yaml:14:9: workflow-level lock mutex "m" is also requested by template "main": ${DEADLOCK} (spec.templates[0].synchronization.mutexes[0])`,
    );
  });

  it('counts semaphores, the singular forms and the namespace default', () => {
    const text = workflow(
      '    mutexes:\n    - name: m\n    semaphore: {configMapKeyRef: {name: c, key: k}}\n',
      '      mutex: {name: m, namespace: argo}\n      semaphores: [{configMapKeyRef: {name: c, key: k}}]\n',
      'Workflow',
      'argo',
    );
    expect(errorsOf(text)).toEqual([
      `15:7 spec.templates[0].synchronization.mutex: workflow-level lock mutex "m" is also requested by template "main": ${DEADLOCK.replace('line 9', 'line 10')}`,
      `16:20 spec.templates[0].synchronization.semaphores[0]: workflow-level lock ConfigMap semaphore "c/k" is also requested by template "main": ${DEADLOCK.replace('mutexes[0] at line 9', 'semaphore at line 11')}`,
    ]);
  });

  it('is fine for different locks, or a lock that is only alike', () => {
    expect(errorsOf(workflow('    mutexes:\n    - name: m\n', '      mutexes:\n      - name: n\n'))).toEqual([]);
    expect(errorsOf(workflow('    mutexes:\n    - name: m\n', '      mutexes:\n      - {name: m, database: true}\n'))).toEqual([]);
    expect(errorsOf(workflow('    mutexes:\n    - name: m\n', '      semaphores:\n      - database: {key: m}\n'))).toEqual([]);
  });

  it('covers inline templates, exit handlers and WorkflowTemplates', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  synchronization:
    mutexes: [{name: m}]
  onExit: bye
  templates:
  - name: main
    steps:
    - - name: s
        inline:
          synchronization: {mutexes: [{name: m}]}
          container: {image: alpine}
  - name: bye
    synchronization: {mutexes: [{name: m}]}
    container: {image: alpine}
`;
    const deadlock = DEADLOCK.replace('line 9', 'line 6');
    expect(errorsOf(text)).toEqual([
      `13:39 spec.templates[0].steps[0][0].inline.synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by this template: ${deadlock}`,
      `16:33 spec.templates[1].synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by template "bye": ${deadlock}`,
    ]);
  });

  describe('across documents', () => {
    const library = (sync: string) => `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
${sync}  templates:
  - name: locked
    synchronization: {mutexes: [{name: m}]}
    container: {image: alpine}
---
`;

    it('checks the templates a workflowTemplateRef brings in', () => {
      const text = `${library('')}apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: w-}
spec:
  workflowTemplateRef: {name: lib}
  entrypoint: locked
  synchronization:
    mutexes: [{name: m}]
`;
      expect(errorsOf(text)).toEqual([
        '17:15 spec.synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by template "locked" of WorkflowTemplate "lib": the template would wait forever for a lock its own workflow holds (the workflow takes it, spec.synchronization.mutexes[0] at line 17, before anything runs and keeps it to the end); request the lock at one level only',
      ]);
    });

    it('takes the workflow-level locks of a workflowTemplateRef when the workflow has none', () => {
      const text = `${library('  synchronization: {mutexes: [{name: m}]}\n')}apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: w-}
spec:
  workflowTemplateRef: {name: lib}
  entrypoint: main
  templates:
  - name: main
    synchronization: {mutexes: [{name: m}]}
    container: {image: alpine}
`;
      const errors = errorsOf(text);
      // The library itself deadlocks, and so does the workflow's own template.
      expect(errors).toEqual([
        '8:33 spec.templates[0].synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by template "locked": the template would wait forever for a lock its own workflow holds (the workflow takes it, spec.synchronization.mutexes[0] at line 5, before anything runs and keeps it to the end); request the lock at one level only',
        '19:33 spec.templates[0].synchronization.mutexes[0]: workflow-level lock mutex "m" is also requested by template "main": the template would wait forever for a lock its own workflow holds (the workflow takes it, spec.synchronization of WorkflowTemplate "lib", before anything runs and keeps it to the end); request the lock at one level only',
      ]);
    });

    it('checks a template called by templateRef, at the call', () => {
      const text = `${library('')}apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: w-}
spec:
  entrypoint: main
  synchronization:
    mutexes: [{name: m}]
  templates:
  - name: main
    steps:
    - - name: call
        templateRef: {name: lib, template: locked}
`;
      expect(errorsOf(text)).toEqual([
        '21:9 spec.templates[0].steps[0][0].templateRef: workflow-level lock mutex "m" is also requested by template "locked" of WorkflowTemplate "lib" (called here): the template would wait forever for a lock its own workflow holds (the workflow takes it, spec.synchronization.mutexes[0] at line 16, before anything runs and keeps it to the end); request the lock at one level only',
      ]);
      expect(errorsOf(text.replace('mutexes: [{name: m}]\n  templates', 'mutexes: [{name: other}]\n  templates'))).toEqual([]);
    });
  });
});

describe('Argo examples with synchronization', () => {
  it('pass: plural forms, database locks and templated names', () => {
    const text = workflow(
      '    mutexes:\n    - {name: test, database: true}\n    semaphores:\n    - database: {key: workflow}\n',
      '      mutexes:\n      - name: client-{{workflow.uid}}\n',
    );
    expect(lintText(text)).toEqual([]);
  });
});
