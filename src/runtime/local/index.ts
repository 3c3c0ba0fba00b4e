// The local pod runtime: pods as bubblewrap sandboxes (or plain process groups where bwrap is not
// usable), spawned by a small helper process. See DESIGN.md §4. Sandboxes outlive the runtime: a
// runtime created later on the same data directory adopts them (`adopt()`).

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PodObservation, PodRuntime, PodSpec } from '../types.js';
import { resolveHostTools } from './host-tools.js';
import { ImageMap } from './image-map.js';
import { LocalRuntime } from './local-runtime.js';
import { logPathFor } from './pod-layout.js';
import { NO_SANDBOX_WARNING, probeBwrap, type SandboxMode } from './sandbox.js';
import { SpawnerClient } from './spawner-client.js';

export interface LocalRuntimeConfig {
  /** Pods live under <dataDir>/pods/<pod>/, logs under <dataDir>/logs/<namespace>/<workflow>/<pod>/<container>.log. */
  dataDir: string;
  /** auto: bwrap when usable, else plain processes with a one-line warning. */
  sandbox?: 'auto' | 'bwrap' | 'none';
  /** User overrides: image pattern (glob with *) -> entrypoint (args are appended). Checked before the defaults. */
  imageMap?: Record<string, string[]>;
  warn?: (message: string) => void;
  /** SIGTERM-to-SIGKILL grace for sidecars when the main containers are done. Default 2. */
  sidecarGraceSeconds?: number;
  /**
   * Argo v4.1 parity (spec/containerset.md §1.3): the first non-zero exit in a pod terminates its
   * other containers. false: only the failed container's dependents are skipped (Argo PR #16000).
   * Default true.
   */
  containerSetFailFast?: boolean;
  /** Where to look for host tools (python3, busybox, bwrap, commands the sandbox PATH lacks). Default: this process's PATH. */
  searchPath?: string;
}

export interface LocalPodRuntime extends PodRuntime {
  adopt(): Promise<{ spec: PodSpec; observation: PodObservation }[]>;
  /** The isolation actually in use. */
  readonly sandbox: SandboxMode;
  /** The spawner helper's pid. */
  readonly helperPid: number | undefined;
}

/** Where a container's log is, for readers that have no runtime (`argot logs`). */
export function logFilePath(dataDir: string, namespace: string, workflowName: string, pod: string, container: string): string {
  return logPathFor(path.resolve(dataDir), { name: pod, namespace, workflowName }, container);
}

/** The repository's shims/ directory: three levels up from src/runtime/local and dist/runtime/local alike. */
function shimDirectory(): string {
  return fileURLToPath(new URL('../../../shims', import.meta.url));
}

export async function createLocalRuntime(config: LocalRuntimeConfig): Promise<LocalPodRuntime> {
  const warn = config.warn ?? ((message: string) => process.stderr.write(`argot: warning: ${message}\n`));
  const dataDir = path.resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  const shimDir = shimDirectory();
  if (!existsSync(path.join(shimDir, 'libexec', 'container-wrapper'))) throw new Error(`argot shims not found at ${shimDir}`);

  const searchPath = config.searchPath ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const tools = resolveHostTools(searchPath, process.execPath);
  const mode = chooseSandbox(config.sandbox ?? 'auto', tools.bwrap, dataDir, warn);
  if (!tools.busybox) warn('busybox not found: alpine, busybox and curl images run the host sh, which may lack $RANDOM and [[ ]]');

  const runtime = new LocalRuntime({
    dataDir,
    settings: { mode, tools, shimDir, searchPath },
    imageMap: new ImageMap(config.imageMap),
    killGraceMs: (config.sidecarGraceSeconds ?? 2) * 1000,
    containerSetFailFast: config.containerSetFailFast ?? true,
    warn,
  });
  try {
    const spawner = await SpawnerClient.start({
      onReport: (report) => runtime.receive(report),
      onOrphaned: (ids, reason) => runtime.orphaned(ids, reason),
    });
    runtime.attach(spawner);
  } catch (err) {
    await runtime.close({ keepPods: true });
    throw err;
  }
  return runtime;
}

function chooseSandbox(requested: 'auto' | 'bwrap' | 'none', bwrap: string | undefined, dataDir: string, warn: (m: string) => void): SandboxMode {
  if (requested === 'none') {
    warn(NO_SANDBOX_WARNING);
    return 'none';
  }
  const probe = bwrap ? probeBwrap(bwrap, dataDir) : { ok: false as const, reason: 'bwrap not found on PATH' };
  if (probe.ok) return 'bwrap';
  if (requested === 'bwrap') throw new Error(`bubblewrap sandbox requested but not usable: ${probe.reason}`);
  warn(`${NO_SANDBOX_WARNING} (${probe.reason})`);
  return 'none';
}
