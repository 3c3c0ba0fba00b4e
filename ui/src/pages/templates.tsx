import type { ReactNode } from 'react';

export function TemplatesPage(props: { kind: 'WorkflowTemplate' | 'ClusterWorkflowTemplate'; path: string }): ReactNode {
  return <h1>{props.kind}</h1>;
}
