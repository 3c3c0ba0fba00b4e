// The rows of the workflows list. Headers are buttons (keyboard-sortable) and announce their order
// with aria-sort; each row links to its workflow's page and has a checkbox for batch actions.
import { memo, type ReactNode } from 'react';
import { ago, elapsed, phaseClass, phaseIcon } from '../format';
import { Link } from '../router';
import { keyOf, workflowPath, type WorkflowRow } from './model';
import type { SortDir, SortKey } from './sort';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'namespace', label: 'Namespace' },
  { key: 'started', label: 'Started' },
  { key: 'finished', label: 'Finished' },
  { key: 'duration', label: 'Duration' },
  { key: 'progress', label: 'Progress' },
];

export interface TableProps {
  rows: WorkflowRow[];
  now: number;
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  onSelect: (keys: string[], on: boolean) => void;
}

export function WorkflowTable(props: TableProps): ReactNode {
  const { rows, selected } = props;
  const allOn = rows.length > 0 && rows.every((r) => selected.has(keyOf(r)));
  return (
    <table className="wf-table">
      <thead>
        <tr>
          <th className="select">
            <input type="checkbox" aria-label="Select all shown" checked={allOn} onChange={(e) => props.onSelect(rows.map(keyOf), e.target.checked)} />
          </th>
          {COLUMNS.map((c) => (
            <th key={c.key} aria-sort={props.sort === c.key ? (props.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button type="button" className="sort" onClick={() => props.onSort(c.key)} title="Sorts the rows loaded so far">
                {c.label}
                <span aria-hidden="true">{props.sort === c.key ? (props.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </th>
          ))}
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((wf) => (
          <Row key={keyOf(wf)} wf={wf} now={wf.status?.finishedAt ? 0 : props.now} selected={selected.has(keyOf(wf))} onSelect={props.onSelect} />
        ))}
      </tbody>
    </table>
  );
}

// Memoised: a finished row gets now=0 and so does not re-render as the clock ticks.
const Row = memo(function Row(props: { wf: WorkflowRow; now: number; selected: boolean; onSelect: TableProps['onSelect'] }): ReactNode {
  const { wf, now } = props;
  const phase = wf.status?.phase ?? 'Pending';
  const name = wf.metadata.name ?? '';
  const { startedAt, finishedAt } = wf.status ?? {};
  return (
    <tr className={props.selected ? 'selected' : undefined} data-phase={phase}>
      <td className="select">
        <input type="checkbox" aria-label={`Select ${name}`} checked={props.selected} onChange={(e) => props.onSelect([keyOf(wf)], e.target.checked)} />
      </td>
      <td className="name">
        <span className={phaseClass(phase)} title={phase} role="img" aria-label={phase}>
          {phaseIcon(phase)}
        </span>{' '}
        <Link to={workflowPath(wf)}>{name}</Link>
        {wf.spec?.suspend ? <span className="badge">suspended</span> : null}
      </td>
      <td>{wf.metadata.namespace}</td>
      <td title={startedAt}>{ago(startedAt, now || Date.now())}</td>
      <td title={finishedAt}>{finishedAt ? ago(finishedAt, now || Date.now()) : ''}</td>
      <td className="num">{elapsed(startedAt, finishedAt, now || Date.now())}</td>
      <td className="num">{wf.status?.progress ?? ''}</td>
      <td className="message">{wf.status?.message ?? ''}</td>
    </tr>
  );
});
