// A Gantt chart of the nodes that ran (pods, containers, suspends…), each a bar from start to end
// on the workflow's own time axis; unfinished ones run to now.
import type { ReactNode } from 'react';
import { elapsed, phaseClass, phaseIcon } from '../format';
import type { Workflow } from './types';

const GROUPS = new Set(['StepGroup', 'TaskGroup', 'Steps', 'DAG', 'Retry']);

export function TimelineTab({ wf, onSelect }: { wf: Workflow; onSelect: (id: string) => void }): ReactNode {
  const now = Date.now();
  const nodes = Object.values(wf.status?.nodes ?? {})
    .filter((n) => n.startedAt && !GROUPS.has(n.type))
    .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  if (nodes.length === 0) return <p className="muted">Nothing has started yet.</p>;
  const start = Math.min(...nodes.map((n) => Date.parse(n.startedAt ?? '')));
  const end = Math.max(...nodes.map((n) => (n.finishedAt ? Date.parse(n.finishedAt) : now)), start + 1000);
  const pct = (t: number): number => ((t - start) / (end - start)) * 100;
  return (
    <ol className="wf-timeline" aria-label="Timeline">
      {nodes.map((n) => {
        const from = pct(Date.parse(n.startedAt ?? ''));
        const to = pct(n.finishedAt ? Date.parse(n.finishedAt) : now);
        return (
          <li key={n.id}>
            <button type="button" className="wf-timeline-name" onClick={() => onSelect(n.id)}>
              <span className={phaseClass(n.phase)} aria-hidden="true">
                {phaseIcon(n.phase)}
              </span>{' '}
              {n.displayName}
            </button>
            <span className="wf-timeline-track">
              <span className={`wf-timeline-bar ${phaseClass(n.phase)}`} style={{ left: `${from}%`, width: `${Math.max(to - from, 0.5)}%` }} title={`${n.phase}, ${elapsed(n.startedAt, n.finishedAt, now)}`} />
            </span>
            <span className="wf-timeline-dur muted">{elapsed(n.startedAt, n.finishedAt, now)}</span>
          </li>
        );
      })}
    </ol>
  );
}
