// What the editors start with: small, valid, and runnable on argot's local runtime.

export function exampleWorkflow(namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
  namespace: ${namespace}
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: message
        value: hello argot
  templates:
    - name: main
      dag:
        tasks:
          - name: say
            template: say
            arguments:
              parameters: [{name: message, value: "{{workflow.parameters.message}}"}]
    - name: say
      inputs:
        parameters: [{name: message}]
      container:
        image: argoproj/argosay:v2
        args: [echo, "{{inputs.parameters.message}}"]
`;
}

export function exampleTemplate(kind: 'WorkflowTemplate' | 'ClusterWorkflowTemplate', namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ${kind}
metadata:
  name: my-template${kind === 'WorkflowTemplate' ? `\n  namespace: ${namespace}` : ''}
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: message
        value: hello
  templates:
    - name: main
      inputs:
        parameters: [{name: message}]
      container:
        image: argoproj/argosay:v2
        args: [echo, "{{inputs.parameters.message}}"]
`;
}

export function exampleCronWorkflow(namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: my-cron
  namespace: ${namespace}
spec:
  schedules: ["*/5 * * * *"]
  concurrencyPolicy: Forbid
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: argoproj/argosay:v2
          args: [echo, tick]
`;
}
