import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workflow } from '../spec/types.js';

/** The first store's narrow interface, until the SQLite store replaces it. */
export interface SimpleWorkflowStore {
  create(wf: Workflow): Promise<Workflow>;
  get(namespace: string, name: string): Promise<Workflow | undefined>;
  list(namespace?: string): Promise<Workflow[]>;
  update(wf: Workflow, changedNodes: readonly string[]): Promise<void>;
  delete(namespace: string, name: string): Promise<boolean>;
}

/**
 * One JSON file per workflow under <dataDir>/workflows/<namespace>/. Writes go to a temporary file
 * and are renamed into place, so a crash never leaves a half-written workflow.
 */
export class FileWorkflowStore implements SimpleWorkflowStore {
  constructor(private readonly dataDir: string) {}

  private dir(namespace: string): string {
    return join(this.dataDir, 'workflows', namespace);
  }

  private file(namespace: string, name: string): string {
    return join(this.dir(namespace), `${name}.json`);
  }

  async create(wf: Workflow): Promise<Workflow> {
    const { namespace, name } = keyOf(wf);
    await mkdir(this.dir(namespace), { recursive: true });
    await writeFile(this.file(namespace, name), JSON.stringify(wf), { flag: 'wx' });
    return wf;
  }

  async get(namespace: string, name: string): Promise<Workflow | undefined> {
    try {
      return JSON.parse(await readFile(this.file(namespace, name), 'utf8')) as Workflow;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(namespace?: string): Promise<Workflow[]> {
    const namespaces = namespace ? [namespace] : await readdir(join(this.dataDir, 'workflows')).catch(() => [] as string[]);
    const out: Workflow[] = [];
    for (const ns of namespaces) {
      const files = await readdir(this.dir(ns)).catch(() => [] as string[]);
      for (const f of files) {
        if (!f.endsWith('.json')) continue;
        const wf = await this.get(ns, f.slice(0, -5));
        if (wf) out.push(wf);
      }
    }
    return out.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  }

  async update(wf: Workflow, _changedNodes: readonly string[]): Promise<void> {
    const { namespace, name } = keyOf(wf);
    const target = this.file(namespace, name);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(wf));
    await rename(tmp, target);
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const existed = (await this.get(namespace, name)) !== undefined;
    await rm(this.file(namespace, name), { force: true });
    return existed;
  }
}

function keyOf(wf: Workflow): { namespace: string; name: string } {
  const name = wf.metadata.name;
  const namespace = wf.metadata.namespace;
  if (!name || !namespace) throw new Error('internal: workflow without name or namespace');
  return { namespace, name };
}
