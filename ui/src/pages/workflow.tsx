import type { ReactNode } from 'react';

export function WorkflowPage(_props: { namespace?: string; name?: string }): ReactNode {
  return <h1>WorkflowPage</h1>;
}
