// The shell: navigation on the left, one page on the right chosen from the URL (Argo's paths).
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { onUnauthenticated } from './api';
import { TokenPrompt } from './token-prompt';
import { Link, match, navigate, useLocation } from './router';
import { WorkflowsPage } from './pages/workflows';
import { LocksPage } from './pages/locks';

// The workflow page brings the graph libraries, the template and cron pages the YAML parser: each
// is loaded when first opened, so the list, the page users land on, renders without waiting.
const WorkflowPage = lazy(() => import('./pages/workflow').then((m) => ({ default: m.WorkflowPage })));
const TemplatesPage = lazy(() => import('./pages/templates').then((m) => ({ default: m.TemplatesPage })));
const CronWorkflowsPage = lazy(() => import('./pages/cron-workflows').then((m) => ({ default: m.CronWorkflowsPage })));

const sections: { to: string; label: string }[] = [
  { to: '/workflows', label: 'Workflows' },
  { to: '/workflow-templates', label: 'Templates' },
  { to: '/cluster-workflow-templates', label: 'Cluster templates' },
  { to: '/cron-workflows', label: 'Cron workflows' },
  { to: '/locks', label: 'Locks' },
];

function page(path: string): ReactNode {
  let p: Record<string, string> | undefined;
  if ((p = match('/workflows/:namespace/:name', path))) return <WorkflowPage namespace={p.namespace ?? ''} name={p.name ?? ''} />;
  if (path === '/workflows' || match('/workflows/:namespace', path)) return <WorkflowsPage />;
  if (path.startsWith('/workflow-templates')) return <TemplatesPage kind="WorkflowTemplate" path={path} />;
  if (path.startsWith('/cluster-workflow-templates')) return <TemplatesPage kind="ClusterWorkflowTemplate" path={path} />;
  if (path.startsWith('/cron-workflows')) return <CronWorkflowsPage path={path} />;
  if (path === '/locks') return <LocksPage />;
  return undefined;
}

export function App(): ReactNode {
  const { path } = useLocation();
  const [unauthenticated, setUnauthenticated] = useState(false);
  useEffect(() => onUnauthenticated(() => setUnauthenticated(true)), []);
  if (unauthenticated) return <TokenPrompt hadToken={document.cookie.includes('authorization=')} />;
  if (path === '/' || path === '') {
    navigate('/workflows', { replace: true });
    return null;
  }
  const current = sections.find((s) => path === s.to || path.startsWith(`${s.to}/`));
  return (
    <div className="layout">
      <nav className="nav" aria-label="Sections">
        <div className="brand">argot</div>
        {sections.map((s) => (
          <Link key={s.to} to={s.to} aria-current={current === s ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <main className="main">
        <Suspense fallback={<p className="muted">Loading…</p>}>{page(path) ?? <p>Nothing here: {path}</p>}</Suspense>
      </main>
    </div>
  );
}
