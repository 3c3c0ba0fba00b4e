// One workflow (Argo's /workflows/{ns}/{name}): fetched once, then followed through the watch
// stream so the graph, panel and tabs update live. Tab, selected node and layout live in the URL.
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { errorMessage, get, qs } from '../api';
import { ago, elapsed, phaseClass, phaseIcon } from '../format';
import { buildGraph } from '../graph/model';
import type { Direction } from '../graph/layout';
import { WorkflowGraph } from '../graph/workflow-graph';
import { Link, setQuery, useLocation } from '../router';
import { useStream } from '../stream';
import { ActionBar } from '../workflow/actions';
import { EventsTab } from '../workflow/events';
import { NodePanel } from '../workflow/node-panel';
import { SummaryTab } from '../workflow/summary';
import { TimelineTab } from '../workflow/timeline';
import type { Workflow } from '../workflow/types';
import { YamlTab } from '../workflow/yaml-view';
import '../workflow/workflow.css';

const TABS = [
  { id: 'workflow', label: 'Graph' },
  { id: 'summary', label: 'Summary' },
  { id: 'events', label: 'Events' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'yaml', label: 'YAML' },
] as const;
type TabId = (typeof TABS)[number]['id'];

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Workflow;
}

export function WorkflowPage({ namespace = '', name = '' }: { namespace?: string; name?: string }): ReactNode {
  const { query } = useLocation();
  const [wf, setWf] = useState<Workflow | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [deleted, setDeleted] = useState(false);
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const tab: TabId = TABS.find((t) => t.id === query.get('tab'))?.id ?? 'workflow';
  const nodeId = query.get('nodeId') ?? undefined;
  const direction: Direction = query.get('layout') === 'LR' ? 'LR' : 'TB';

  useEffect(() => {
    let stale = false;
    setWf(undefined);
    setError(undefined);
    setDeleted(false);
    get<Workflow>(`/api/v1/workflows/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`).then(
      (w) => {
        if (!stale) setWf((current) => current ?? w);
      },
      (e: unknown) => {
        if (!stale) setError(errorMessage(e));
      },
    );
    return () => {
      stale = true;
    };
  }, [namespace, name]);

  const live = useStream<WatchEvent>(
    `/api/v1/workflow-events/${encodeURIComponent(namespace)}${qs({ 'listOptions.fieldSelector': `metadata.name=${name}` })}`,
    (event) => {
      if (event.object.metadata.name !== name) return;
      if (event.type === 'DELETED') {
        setDeleted(true);
        return;
      }
      setDeleted(false);
      setError(undefined);
      setWf(event.object);
    },
  );

  const nodes = wf?.status?.nodes;
  const model = useMemo(() => buildGraph(nodes ?? {}, name, toggled), [nodes, name, toggled]);
  const select = useCallback((id: string | undefined) => setQuery({ nodeId: id }), []);
  const toggle = useCallback(
    (id: string) =>
      setToggled((old) => {
        const next = new Set(old);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const closePanel = useCallback(() => {
    select(undefined);
    // Back to the node the panel was about (or its pod, for a container), where the user was.
    const id = nodeId ?? '';
    const back = document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"] .wf-node-main, [data-container-id="${CSS.escape(id)}"]`);
    back?.focus({ preventScroll: true });
  }, [select, nodeId]);

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    setQuery({ tab: next.id === 'workflow' ? undefined : next.id });
    document.getElementById(`wf-tab-${next.id}`)?.focus();
  };

  const heading = (
    <nav className="wf-crumbs" aria-label="Breadcrumb">
      <Link to="/workflows">Workflows</Link> / <Link to={`/workflows/${encodeURIComponent(namespace)}`}>{namespace}</Link> /
    </nav>
  );
  if (!wf) {
    return (
      <div className="wf-page">
        {heading}
        <h1>{name}</h1>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
    );
  }

  const phase = wf.status?.phase;
  const selectedNode = nodeId ? nodes?.[nodeId] : undefined;
  return (
    <div className="wf-page">
      {heading}
      <header className="wf-head">
        <h1>
          <span className={phaseClass(phase)} aria-hidden="true">
            {phaseIcon(phase)}
          </span>{' '}
          {name}
        </h1>
        <span className={`wf-phase ${phaseClass(phase)}`} data-testid="workflow-phase">
          {phase ?? 'Pending'}
        </span>
        <span className="muted">
          {wf.status?.startedAt ? `started ${ago(wf.status.startedAt)}, ${elapsed(wf.status.startedAt, wf.status.finishedAt)}` : ''}
          {wf.status?.progress ? ` · ${wf.status.progress}` : ''}
        </span>
        <span className="muted wf-live" role="status">
          {deleted ? 'deleted' : live === 'live' ? 'live' : live === 'retrying' ? 'reconnecting…' : 'connecting…'}
        </span>
      </header>
      {wf.status?.message && <p className="wf-message">{wf.status.message}</p>}
      {deleted && (
        <p className="error" role="alert">
          This workflow has been deleted.
        </p>
      )}
      <ActionBar wf={wf} />
      <div className="wf-tabs" role="tablist" aria-label="Workflow views" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`wf-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls="wf-tabpanel"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setQuery({ tab: t.id === 'workflow' ? undefined : t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className={`wf-body${selectedNode ? ' with-panel' : ''}`}>
        <div id="wf-tabpanel" role="tabpanel" aria-labelledby={`wf-tab-${tab}`} className="wf-tabpanel">
          {tab === 'workflow' && (
            <>
              <div className="toolbar">
                <span className="muted">Layout</span>
                <button type="button" aria-pressed={direction === 'TB'} onClick={() => setQuery({ layout: undefined })}>
                  Top to bottom
                </button>
                <button type="button" aria-pressed={direction === 'LR'} onClick={() => setQuery({ layout: 'LR' })}>
                  Left to right
                </button>
                {toggled.size > 0 && (
                  <button type="button" onClick={() => setToggled(new Set())}>
                    Reset folding
                  </button>
                )}
                <span className="muted">{model.nodes.length} nodes shown</span>
              </div>
              {model.nodes.length === 0 ? (
                <p className="muted">No nodes yet.</p>
              ) : (
                <div className="wf-graph" aria-label="Workflow graph" role="group">
                  <WorkflowGraph model={model} direction={direction} selected={nodeId} onSelect={select} onToggle={toggle} />
                </div>
              )}
            </>
          )}
          {tab === 'summary' && <SummaryTab wf={wf} />}
          {tab === 'events' && <EventsTab namespace={namespace} name={name} />}
          {tab === 'timeline' && <TimelineTab wf={wf} onSelect={select} />}
          {tab === 'yaml' && <YamlTab wf={wf} />}
        </div>
        {selectedNode && <NodePanel wf={wf} node={selectedNode} onClose={closePanel} />}
      </div>
    </div>
  );
}
