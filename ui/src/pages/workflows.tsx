// The workflows list (Argo's main page): filters on the left, live rows on the right, batch
// actions over the selected rows, and "Submit new workflow". Rows come a page at a time, newest
// first, with only the fields a row shows; sorting by a column sorts the rows loaded so far.
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { BatchActions } from '../list/batch-actions';
import { FilterPanel } from '../list/filters';
import { filtersFrom, urlOf, type Filters } from '../list/query';
import { sortKeyFrom, sortRows, type SortDir, type SortKey } from '../list/sort';
import { useNow } from '../list/use-now';
import { useWorkflowList } from '../list/use-workflow-list';
import { WorkflowTable } from '../list/workflow-table';
import { navigate, setQuery, useLocation } from '../router';
import type { StreamState } from '../stream';
import './workflows.css';

// The panel brings the YAML parser and editor; the list must not wait for them.
const SubmitPanel = lazy(() => import('../submit/submit-panel').then((m) => ({ default: m.SubmitPanel })));

// Argo's UI pages by 50 too; a page is what the first screen waits for.
const PAGE_SIZE = 50;

const LIVE_TEXT: Record<StreamState, string> = { live: 'Live', connecting: 'Connecting…', retrying: 'Reconnecting…' };

export function WorkflowsPage(): ReactNode {
  const { path, query } = useLocation();
  const filters = useMemo(() => filtersFrom(path, query), [path, query]);
  const sort = sortKeyFrom(query.get('sort'));
  const dir: SortDir = query.get('dir') === 'asc' ? 'asc' : 'desc';
  const list = useWorkflowList(filters, PAGE_SIZE);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [submitting, setSubmitting] = useState(query.get('submit') === 'yaml');

  const anyRunning = useMemo(() => [...list.rows.values()].some((r) => !r.status?.finishedAt && r.status?.startedAt), [list.rows]);
  const now = useNow(anyRunning);
  // Sorting by duration follows the clock; the other orders need not re-sort every second.
  const rows = useMemo(() => sortRows(list.rows.values(), sort, dir, sort === 'duration' ? now : 0), [list.rows, sort, dir, sort === 'duration' ? now : 0]);

  const changeFilters = useCallback((f: Filters) => {
    setSelected(new Set());
    navigate(urlOf(f, new URLSearchParams(window.location.search)), { replace: true });
  }, []);
  const onSort = (key: SortKey): void => {
    const nextDir: SortDir = key === sort ? (dir === 'asc' ? 'desc' : 'asc') : key === 'name' || key === 'namespace' ? 'asc' : 'desc';
    setQuery({ sort: key, dir: nextDir });
  };
  const onSelect = useCallback((keys: string[], on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const k of keys) {
        if (on) next.add(k);
        else next.delete(k);
      }
      return next;
    });
  }, []);

  return (
    <div className="workflows-page">
      <header className="toolbar page-head">
        <h1>Workflows</h1>
        <span className={`live live-${list.stream}`} role="status" title="Rows update from the server's watch stream">
          <span aria-hidden="true">●</span> {LIVE_TEXT[list.stream]}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setSubmitting(true)}>
          + Submit new workflow
        </button>
      </header>
      <div className="workflows-body">
        <FilterPanel filters={filters} onChange={changeFilters} />
        <section className="workflows-rows" aria-label="Workflows" aria-busy={list.loading}>
          <BatchActions
            selected={selected}
            onDone={(action, done) => {
              setSelected(new Set());
              if (action === 'delete') for (const k of done) list.forget(k);
            }}
          />
          {list.error ? (
            <p className="error" role="alert">
              {list.error}
            </p>
          ) : null}
          <WorkflowTable rows={rows} now={now} sort={sort} dir={dir} onSort={onSort} selected={selected} onSelect={onSelect} />
          <footer className="list-foot">
            {!list.loading && rows.length === 0 && !list.error ? <p className="muted">No workflows{describe(filters)}.</p> : null}
            <span className="muted" aria-live="polite">
              {rows.length > 0 ? `${rows.length} shown${list.more ? ', more on the server' : ''}` : ''}
              {list.loading ? ' Loading…' : ''}
            </span>
            {list.more ? (
              <button type="button" onClick={list.loadMore} disabled={list.loading}>
                Load {PAGE_SIZE} more
              </button>
            ) : null}
          </footer>
        </section>
      </div>
      {submitting ? (
        <Suspense fallback={null}>
          <SubmitPanel open onClose={() => setSubmitting(false)} namespace={filters.namespace || 'default'} />
        </Suspense>
      ) : null}
    </div>
  );
}

function describe(f: Filters): string {
  const parts = [
    f.namespace && `in ${f.namespace}`,
    f.phases.length > 0 && `in phase ${f.phases.join(' or ')}`,
    f.labels && `with labels ${f.labels}`,
    f.name && `named ${f.nameMode === 'Exact' ? '' : `${f.nameMode.toLowerCase()} `}“${f.name}”`,
  ].filter(Boolean);
  return parts.length ? ` ${parts.join(', ')}` : '';
}
