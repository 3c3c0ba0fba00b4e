// Finding the host's tools and making the ones installed outside the system directories usable
// inside a sandbox, where only /usr, /etc and friends are visible. pyenv's python3, for instance, is
// a bash script under ~/.pyenv that needs pyenv's own environment: the sandbox gets the real
// interpreter's prefix bound read-only and its bin directory on PATH instead.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Directories every sandbox sees read-only; anything under them needs no extra bind. */
export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/** The PATH of a container, after the shim directory and any resolved tool directories. */
export const STANDARD_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface ToolBinds {
  /** Host directories to bind read-only at the same path. */
  binds: string[];
  /** Directories to put on PATH (after the shims, before the standard directories). */
  pathDirs: string[];
}

export interface HostTools extends ToolBinds {
  bwrap?: string;
  busybox?: string;
}

export function isUnderSystemDir(p: string): boolean {
  return SYSTEM_DIRS.some((dir) => p === dir || p.startsWith(`${dir}/`));
}

export function which(name: string, searchPath: string): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function merge(into: ToolBinds, from: ToolBinds): void {
  for (const b of from.binds) if (!into.binds.includes(b)) into.binds.push(b);
  for (const d of from.pathDirs) if (!into.pathDirs.includes(d)) into.pathDirs.push(d);
}

/** A binary outside the system directories: bind its real directory and put it on PATH. */
export function bindsForExecutable(file: string): ToolBinds {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return { binds: [], pathDirs: [] };
  }
  if (isUnderSystemDir(real)) return { binds: [], pathDirs: [] };
  return { binds: [path.dirname(real)], pathDirs: [path.dirname(real)] };
}

/** Ask the interpreter where it really lives; pyenv and virtualenv shims hide it. */
function pythonBinds(searchPath: string): ToolBinds {
  const found = which('python3', searchPath);
  if (!found) return { binds: [], pathDirs: [] };
  const real = safeRealpath(found);
  if (isUnderSystemDir(real)) return { binds: [], pathDirs: [] };
  // Inherits this process's environment on purpose: pyenv needs it to pick the version.
  const probe = spawnSync(found, ['-c', 'import sys; print(sys.executable); print(sys.prefix); print(sys.base_prefix)'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.status !== 0) return { binds: [], pathDirs: [] };
  const [executable, prefix, basePrefix] = probe.stdout.trim().split('\n');
  if (!executable || !prefix || !basePrefix) return { binds: [], pathDirs: [] };
  const binds = [...new Set([prefix, basePrefix].map(safeRealpath))].filter((d) => !isUnderSystemDir(d));
  // The directory of sys.executable as the interpreter sees it, so a venv's python3 is the one found.
  return { binds, pathDirs: [path.dirname(executable)] };
}

/** Node for `node:*` images and scripts: the engine's own binary, with its prefix (npm, libs). */
function nodeBinds(execPath: string): ToolBinds {
  const real = safeRealpath(execPath);
  if (isUnderSystemDir(real)) return { binds: [], pathDirs: [] };
  return { binds: [path.dirname(path.dirname(real))], pathDirs: [path.dirname(real)] };
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export function resolveHostTools(searchPath: string, nodeExecPath: string): HostTools {
  const tools: HostTools = { binds: [], pathDirs: [] };
  merge(tools, pythonBinds(searchPath));
  merge(tools, nodeBinds(nodeExecPath));
  const bwrap = which('bwrap', searchPath);
  if (bwrap) tools.bwrap = bwrap;
  const busybox = which('busybox', searchPath);
  if (busybox) tools.busybox = safeRealpath(busybox);
  return tools;
}
