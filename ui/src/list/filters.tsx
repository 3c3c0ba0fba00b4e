// The filter panel on the left of the list, as in Argo's UI. Text filters apply on Enter or when
// the field loses focus (a half-typed label selector would only produce errors); the name filter
// also applies after a pause in typing, since every prefix of a name is a valid filter.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { phaseClass, phaseIcon } from '../format';
import { PHASES, type Filters, type NameMode } from './query';

function TextFilter(props: { label: string; value: string; placeholder?: string; onApply: (v: string) => void; liveMs?: number }): ReactNode {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const { liveMs, onApply, value } = props;
  // The parent re-renders often (live rows, ticking durations); the pause counts from the last keystroke only.
  const apply = useRef(onApply);
  apply.current = onApply;
  useEffect(() => {
    if (liveMs === undefined || draft.trim() === value) return undefined;
    const t = setTimeout(() => apply.current(draft.trim()), liveMs);
    return () => clearTimeout(t);
  }, [draft, liveMs, value]);
  return (
    <label className="filter-field">
      <span>{props.label}</span>
      <input
        type="search"
        value={draft}
        placeholder={props.placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onApply(draft.trim());
        }}
        onBlur={() => {
          if (draft.trim() !== value) onApply(draft.trim());
        }}
      />
    </label>
  );
}

export function FilterPanel(props: { filters: Filters; onChange: (f: Filters) => void }): ReactNode {
  const { filters: f, onChange } = props;
  const togglePhase = (p: string): void => onChange({ ...f, phases: f.phases.includes(p) ? f.phases.filter((x) => x !== p) : [...f.phases, p] });
  const clearable = f.namespace || f.phases.length || f.labels || f.name;
  return (
    <aside className="filters" aria-label="Filters">
      <TextFilter label="Namespace" value={f.namespace} placeholder="all namespaces" onApply={(namespace) => onChange({ ...f, namespace })} />
      <fieldset className="filter-field">
        <legend>Name</legend>
        <TextFilter label="Name" value={f.name} placeholder="any" liveMs={400} onApply={(name) => onChange({ ...f, name })} />
        <select aria-label="Name match" value={f.nameMode} onChange={(e) => onChange({ ...f, nameMode: e.target.value as NameMode })}>
          <option value="Contains">contains</option>
          <option value="Prefix">starts with</option>
          <option value="Exact">is exactly</option>
        </select>
      </fieldset>
      <TextFilter label="Labels" value={f.labels} placeholder="app=x,team!=y" onApply={(labels) => onChange({ ...f, labels })} />
      <fieldset className="filter-field">
        <legend>Phase</legend>
        {PHASES.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={f.phases.includes(p)} onChange={() => togglePhase(p)} />
            <span className={phaseClass(p)} aria-hidden="true">
              {phaseIcon(p)}
            </span>{' '}
            {p}
          </label>
        ))}
      </fieldset>
      {clearable ? (
        <button type="button" onClick={() => onChange({ namespace: '', phases: [], labels: '', name: '', nameMode: 'Contains' })}>
          Clear filters
        </button>
      ) : null}
    </aside>
  );
}
