// The workflow as YAML, read-only; with a copy button since that is what people do with it.
import { useMemo, useState, type ReactNode } from 'react';
import { stringify } from 'yaml';
import type { Workflow } from './types';

export function YamlTab({ wf }: { wf: Workflow }): ReactNode {
  const text = useMemo(() => stringify(wf, { lineWidth: 0 }), [wf]);
  const [copied, setCopied] = useState(false);
  return (
    <section aria-label="YAML">
      <div className="toolbar">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy
        </button>
        {copied && <span className="muted">copied</span>}
      </div>
      <pre className="wf-yaml" tabIndex={0} aria-label="Workflow YAML">
        {text}
      </pre>
    </section>
  );
}
