import type { ReactNode } from 'react';

export function WorkflowsPage(_props: { namespace?: string; name?: string }): ReactNode {
  return <h1>WorkflowsPage</h1>;
}
