// A YAML editor that stays a <textarea> (native editing, undo, selection, screen readers), with a
// line-number gutter beside it that marks the lines with problems. The problems are also listed
// below as buttons that put the cursor on their line, so they are reachable without a mouse.
import { useId, useMemo, useRef, type ReactNode } from 'react';
import type { Problem } from './lint';
import './editor.css';

export interface YamlEditorProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: Problem[];
  /** A note under the editor: "checking…", a lint failure. */
  status?: string;
  rows?: number;
  readOnly?: boolean;
}

export function YamlEditor(props: YamlEditorProps): ReactNode {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => props.value.split('\n').length, [props.value]);
  const byLine = useMemo(() => {
    const m = new Map<number, Problem[]>();
    for (const p of props.problems) m.set(p.line, [...(m.get(p.line) ?? []), p]);
    return m;
  }, [props.problems]);

  const goTo = (p: Problem): void => {
    const el = area.current;
    if (!el) return;
    const lines = props.value.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    const at = offset + Math.max(0, p.col - 1);
    el.focus();
    el.setSelectionRange(at, offset + (lines[p.line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (p.line - 3) * lineHeight);
  };

  const errors = props.problems.filter((p) => p.severity === 'error').length;
  return (
    <div className="yaml-editor">
      <label htmlFor={id} className="yaml-label">
        {props.label}
      </label>
      <div className="yaml-frame" style={{ height: `${(props.rows ?? 20) * 20 + 12}px` }}>
        <div className="yaml-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const here = byLine.get(i + 1);
            const severity = here?.some((p) => p.severity === 'error') ? 'error' : here ? 'warning' : undefined;
            return (
              <div key={i} className={severity ? `gutter-line lint-${severity}` : 'gutter-line'} title={here?.map((p) => p.message).join('\n')} data-line={i + 1}>
                {severity ? <span className="marker">{severity === 'error' ? '✖' : '▲'}</span> : null}
                {i + 1}
              </div>
            );
          })}
        </div>
        <textarea
          id={id}
          ref={area}
          className="yaml-text"
          value={props.value}
          readOnly={props.readOnly}
          spellCheck={false}
          wrap="off"
          aria-invalid={errors > 0}
          aria-describedby={`${id}-problems`}
          onChange={(e) => props.onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <div id={`${id}-problems`} className="yaml-problems" aria-live="polite">
        {props.problems.length === 0 ? <span className="muted">{props.status ?? 'No problems found'}</span> : null}
        {props.problems.length > 0 ? (
          <ul>
            {props.problems.map((p, i) => (
              <li key={i} className={`lint-${p.severity}`}>
                <button type="button" className="link" onClick={() => goTo(p)}>
                  Line {p.line}:{p.col}
                </button>{' '}
                {p.message}
                {p.path ? <span className="muted"> ({p.path})</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {props.problems.length > 0 && props.status ? <span className="muted">{props.status}</span> : null}
      </div>
    </div>
  );
}
