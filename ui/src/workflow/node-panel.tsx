// The side panel for one node (`?nodeId=`): what it is, when it ran, its parameters, and its logs.
import { useEffect, useRef, type ReactNode } from 'react';
import { elapsed, isFinished, phaseClass, phaseIcon } from '../format';
import { RetryNodeButton } from './actions';
import { LogViewer } from './logs';
import { podName } from './pod-name';
import { SuspendForm } from './suspend-form';
import type { NodeStatus, Parameter, Workflow } from './types';

function Params({ title, params }: { title: string; params: Parameter[] | undefined }): ReactNode {
  if (!params || params.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table className="wf-params">
        <tbody>
          {params.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td className="mono">{p.value ?? p.default ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The pod and container whose log a node shows: a containerSet container is a container of its pod. */
function logTarget(wf: Workflow, node: NodeStatus): { pod: string; container: string } | undefined {
  const wfName = wf.metadata.name ?? '';
  if (node.type === 'Pod') return { pod: podName(wfName, node.name, node.templateName), container: 'main' };
  const pod = node.boundaryID ? wf.status?.nodes?.[node.boundaryID] : undefined;
  if (node.type === 'Container' && pod?.type === 'Pod') return { pod: podName(wfName, pod.name, pod.templateName), container: node.displayName };
  return undefined;
}

export function NodePanel({ wf, node, onClose }: { wf: Workflow; node: NodeStatus; onClose: () => void }): ReactNode {
  // Focus moves into the panel when it opens for a node, so keyboard users need not tab through
  // the whole graph to reach it (the page returns focus to the node when it closes).
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), [node.id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const target = logTarget(wf, node);
  const rows: [string, ReactNode][] = [
    ['Phase', <span className={phaseClass(node.phase)}>{`${phaseIcon(node.phase)} ${node.phase}`}</span>],
    ['Type', node.type],
    ['Name', node.name],
    ['ID', node.id],
    ['Template', node.templateRef ? `${node.templateRef.name ?? ''}/${node.templateRef.template ?? ''}` : (node.templateName ?? '')],
    ['Pod', target?.pod ?? ''],
    ['Message', node.message ?? ''],
    ['Waiting for', node.synchronizationStatus?.waiting ?? ''],
    ['Started', node.startedAt ? new Date(node.startedAt).toLocaleString() : ''],
    ['Finished', node.finishedAt ? new Date(node.finishedAt).toLocaleString() : ''],
    ['Duration', elapsed(node.startedAt, node.finishedAt)],
    ['Progress', node.progress ?? ''],
    ['Exit code', node.outputs?.exitCode ?? ''],
    ['Host', node.hostNodeName ?? ''],
  ];
  return (
    <aside className="wf-panel" aria-label={`Node ${node.displayName}`}>
      <header className="wf-panel-head">
        <h2 ref={heading} tabIndex={-1}>
          {node.displayName || node.name}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close node panel" title="Close (Escape)">
          ✕
        </button>
      </header>
      <dl className="wf-facts">
        {rows
          .filter(([, v]) => v !== '')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {node.type === 'Suspend' && node.phase === 'Running' && <SuspendForm wf={wf} node={node} />}
      <RetryNodeButton wf={wf} nodeId={node.id} />
      <Params title="Inputs" params={node.inputs?.parameters} />
      <Params title="Outputs" params={node.outputs?.parameters} />
      {node.outputs?.result !== undefined && (
        <>
          <h3>Result</h3>
          <pre className="wf-result">{node.outputs.result}</pre>
        </>
      )}
      {(node.outputs?.artifacts?.length ?? 0) > 0 && (
        <>
          <h3>Output artifacts</h3>
          <ul>{node.outputs?.artifacts?.map((a) => <li key={a.name}>{a.name}</li>)}</ul>
        </>
      )}
      {target && (
        <>
          <h3>Logs</h3>
          <LogViewer
            key={`${target.pod}/${target.container}`}
            namespace={wf.metadata.namespace ?? ''}
            workflow={wf.metadata.name ?? ''}
            podName={target.pod}
            container={target.container}
            finished={isFinished(wf.status?.phase)}
          />
        </>
      )}
    </aside>
  );
}
