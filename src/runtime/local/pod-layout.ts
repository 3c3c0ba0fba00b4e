// Where a pod lives on disk. Everything a later controller needs to adopt a pod is here, not in
// memory: the spec (pod.json) and the records of its run (pod-records.ts).
//
//   <dataDir>/pods/<pod>/pod.json            written last: a directory without it is a pod half made
//   <dataDir>/pods/<pod>/containers/<c>/     the container's records
//   <dataDir>/pods/<pod>/roots/<c>/          the container's `/`
//   <dataDir>/pods/<pod>/volumes/<volume>/   emptyDir and files volumes
//   <dataDir>/volumes/<key>/                 persistent volumes (outlive the pod)
//   <dataDir>/logs/<namespace>/<workflow>/<pod>/<c>.log

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerSpec, PodSpec, PodVolume } from '../types.js';

export const SCRIPT_PATH = '/argo/staging/script';

/** Directories every image has, so scripts can write to them without creating them. */
export const ROOT_DIRS = ['root', 'home', 'mnt', 'opt', 'run', 'srv'];

/** Directories every image has that anyone may write to (mode 1777). */
export const SHARED_ROOT_DIRS = ['tmp', 'var/tmp'];

export class PodLayout {
  readonly podDir: string;

  constructor(
    readonly dataDir: string,
    readonly spec: PodSpec,
  ) {
    this.podDir = podDirOf(dataDir, spec.name);
  }

  stateDir(container: string): string {
    return path.join(this.podDir, 'containers', safeName(container));
  }

  /** Where an exec readinessProbe of the container keeps its wrapper's records, log and pid. */
  probeDir(container: string): string {
    return path.join(this.podDir, 'probes', safeName(container));
  }

  rootDir(container: string): string {
    return path.join(this.podDir, 'roots', safeName(container));
  }

  logFile(container: string): string {
    return logPathFor(this.dataDir, this.spec, container);
  }

  volumeDir(volume: PodVolume): string {
    switch (volume.source.kind) {
      case 'emptyDir':
      case 'files':
        return path.join(this.podDir, 'volumes', safeName(volume.name));
      case 'persistent':
        return path.join(this.dataDir, 'volumes', safeName(volume.source.key));
      case 'hostPath':
        return volume.source.path;
    }
  }

  /** Host directory behind each of a container's mounts, deepest mount path first. */
  mounts(container: ContainerSpec): { mountPath: string; hostDir: string; readOnly: boolean }[] {
    const out: { mountPath: string; hostDir: string; readOnly: boolean }[] = [];
    for (const m of container.volumeMounts) {
      const volume = this.spec.volumes.find((v) => v.name === m.name);
      if (!volume) continue;
      const base = this.volumeDir(volume);
      out.push({
        mountPath: normaliseAbsolute(m.mountPath),
        hostDir: m.subPath ? path.join(base, m.subPath) : base,
        readOnly: m.readOnly === true,
      });
    }
    return out.sort((a, b) => b.mountPath.length - a.mountPath.length);
  }

  /** Where an absolute path of the container's view is on the host: in a volume, else in its root. */
  hostPath(container: ContainerSpec, sandboxPath: string): string {
    const p = normaliseAbsolute(sandboxPath);
    for (const m of this.mounts(container)) {
      if (p === m.mountPath) return m.hostDir;
      if (m.mountPath === '/' || p.startsWith(`${m.mountPath}/`)) return path.join(m.hostDir, p.slice(m.mountPath.length));
    }
    return path.join(this.rootDir(container.name), p);
  }

  /**
   * Creates the pod's directories, volumes and input files, then records the spec. With
   * `skeleton: false` each container's `/` is left empty: the sandbox makes its usual directories
   * itself as it starts (bwrap's --dir), off the controller's path.
   */
  async materialise(opts: { skeleton: boolean } = { skeleton: true }): Promise<void> {
    await mkdir(this.podDir, { recursive: true });
    await mkdir(path.dirname(this.logFile('x')), { recursive: true });
    for (const volume of this.spec.volumes) {
      const dir = this.volumeDir(volume);
      // A hostPath may name a file (a socket, a config file): only a missing path becomes a directory.
      await mkdirIfMissing(dir);
      if (volume.source.kind === 'files') {
        for (const [name, content] of Object.entries(volume.source.files)) {
          const file = path.join(dir, name);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, content);
        }
      }
    }
    for (const c of this.spec.containers) {
      await mkdir(this.stateDir(c.name), { recursive: true });
      // Input files may land under /tmp: it must be made 1777 before they make it.
      if (opts.skeleton || this.spec.files) {
        // 1777 like any /tmp: a container may run as another user.
        for (const dir of SHARED_ROOT_DIRS) await mkdir(path.join(this.rootDir(c.name), dir), { recursive: true, mode: 0o1777 });
      }
      if (opts.skeleton) for (const dir of ROOT_DIRS) await mkdir(path.join(this.rootDir(c.name), dir), { recursive: true });
      else await mkdir(this.rootDir(c.name), { recursive: true });
      // A subPath may name a file of the volume (a ConfigMap key).
      for (const m of this.mounts(c)) await mkdirIfMissing(m.hostDir);
      if (c.workingDir) await mkdir(this.hostPath(c, c.workingDir), { recursive: true });
    }
    // Input artifacts belong to the main containers (Argo loads them for `main` only).
    for (const [file, content] of Object.entries(this.spec.files ?? {})) {
      for (const c of this.spec.containers.filter((c) => c.role === 'main')) {
        const target = this.hostPath(c, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
    // Last, and whole: its presence says the pod exists and may have started. Written in place (a
    // temporary file costs a new inode per pod): a spec cut short does not parse, and reads as a
    // pod half made.
    await writeFile(path.join(this.podDir, 'pod.json'), `${JSON.stringify(this.spec, null, 2)}\n`);
  }

  async writeScript(container: ContainerSpec, source: string): Promise<string> {
    const file = path.join(this.rootDir(container.name), SCRIPT_PATH);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, source, { mode: 0o755 });
    return file;
  }

  /** Output files after the container ended: one trailing newline trimmed; a missing file is an absent key. */
  async readOutputs(container: ContainerSpec): Promise<Record<string, string>> {
    const outputs: Record<string, string> = {};
    for (const [name, file] of Object.entries(container.outputFiles ?? {})) {
      const content = await readOptional(this.hostPath(container, file));
      if (content !== undefined) outputs[name] = trimOneNewline(content);
    }
    return outputs;
  }
}

export function podDirOf(dataDir: string, pod: string): string {
  return path.join(dataDir, 'pods', safeName(pod));
}

/** The spec of the pod in `podDir`, if it was ever completely created. */
export async function readPodSpec(podDir: string): Promise<PodSpec | undefined> {
  const text = await readOptional(path.join(podDir, 'pod.json'));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as PodSpec;
  } catch {
    return undefined;
  }
}

export function logPathFor(dataDir: string, spec: Pick<PodSpec, 'name' | 'namespace' | 'workflowName'>, container: string): string {
  return path.join(dataDir, 'logs', safeName(spec.namespace), safeName(spec.workflowName), safeName(spec.name), `${safeName(container)}.log`);
}

export function trimOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function mkdirIfMissing(dir: string): Promise<void> {
  try {
    await stat(dir);
  } catch {
    await mkdir(dir, { recursive: true });
  }
}

function normaliseAbsolute(p: string): string {
  const n = path.posix.normalize(`/${p}`);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Names become path components: never let one climb out of its directory. */
function safeName(name: string): string {
  return name.replace(/[/\\]/g, '_').replace(/^\.+$/, '_');
}
