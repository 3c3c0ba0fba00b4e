// The child process of crash.test.ts: rewrites every node of a few workflows with a new version
// number in each saveStatus, forever, reporting each commit on stdout, until it is killed.
// Usage: node --import tsx crash-writer.ts <database file>
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { openSqliteStore } from './index.js';

const WORKFLOWS = ['w0', 'w1', 'w2'];
const NODES = 200;

function withVersion(wf: Workflow, version: number): Workflow {
  const nodes: Record<string, NodeStatus> = {};
  for (let i = 0; i < NODES; i++) {
    const id = `${wf.metadata.name}-${i}`;
    // Padding makes each transaction span many pages, so a kill lands inside one often.
    nodes[id] = { id, name: id, displayName: id, type: 'Pod', phase: 'Running', message: `v${version}`, hostNodeName: 'x'.repeat(200) };
  }
  return { ...wf, status: { phase: 'Running', message: `v${version}`, nodes } };
}

async function main(file: string): Promise<void> {
  const store = openSqliteStore(file);
  const current: Workflow[] = [];
  let version = 0;
  for (const name of WORKFLOWS) {
    const found = await store.workflows.get('argo', name);
    const wf = found ?? (await store.workflows.create(withVersion({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'argo' }, spec: {} }, 0)));
    version = Math.max(version, Number(wf.status?.message?.slice(1)));
    current.push(wf);
  }
  process.stdout.write('ready\n');
  for (;;) {
    version++;
    for (const [i, wf] of current.entries()) {
      const next = withVersion(wf, version);
      await store.workflows.saveStatus(next, Object.keys(next.status?.nodes ?? {}));
      // Pipes are written synchronously: once the parent reads this, the commit has returned.
      process.stdout.write(`${i} ${version}\n`);
    }
  }
}

await main(process.argv[2] ?? 'crash.db');
