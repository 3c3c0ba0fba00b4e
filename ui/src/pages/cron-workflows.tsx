import type { ReactNode } from 'react';

export function CronWorkflowsPage(_props: { path: string }): ReactNode {
  return <h1>Cron workflows</h1>;
}
