// How one container is launched: a bubblewrap sandbox with its own `/`, or, without bwrap, a plain
// process group whose declared paths are rewritten into the pod's directories. Either way the
// container's command runs under the wrapper script (shims/libexec/container-wrapper), which
// writes the log and records its exit state on disk, so the container needs no one watching it.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { ContainerSpec } from '../types.js';
import { STANDARD_PATH, bindsForExecutable, isUnderSystemDir, which, type HostTools } from './host-tools.js';
import { usesBusyboxShell } from './image-map.js';
import { PathRewriter } from './path-rewrite.js';
import { ROOT_DIRS, SCRIPT_PATH, SHARED_ROOT_DIRS, type PodLayout } from './pod-layout.js';

export type SandboxMode = 'bwrap' | 'none';

export interface SandboxSettings {
  mode: SandboxMode;
  tools: HostTools;
  shimDir: string;
  /** The host PATH, to find tools a command names that the sandbox's PATH lacks. */
  searchPath: string;
}

export interface Launch {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Where the sandbox sees our files. */
const SHIMS_IN_SANDBOX = '/argot/shims';
const STATE_IN_SANDBOX = '/argot/state';
const WRAPPER = 'libexec/container-wrapper';

/** Top-level host entries that are symlinks into /usr on merged-/usr systems (Debian: /bin -> usr/bin). */
const ROOT_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

export const NO_SANDBOX_WARNING =
  'pods run as plain processes (no bubblewrap): no mount or PID isolation - only declared paths (/tmp, volume mount paths, output files, workingDir) are rewritten into per-pod directories, other absolute paths are shared with the host, and a process that leaves its process group is only found again where /proc shows its environment (Linux)';

/** Whether bwrap can build a sandbox here (it may exist but be refused user namespaces). */
export function probeBwrap(bwrap: string, scratch: string): { ok: true } | { ok: false; reason: string } {
  const root = path.join(scratch, `bwrap-probe-${process.pid}`);
  try {
    mkdirSync(root, { recursive: true });
    const args = ['--die-with-parent', '--unshare-pid', '--as-pid-1', '--unshare-uts', '--new-session', '--bind', root, '/', ...systemBinds([]), '--dev', '/dev', '--proc', '/proc', '--', '/bin/sh', '-c', 'exit 0'];
    prepareRoot(root);
    const r = spawnSync(bwrap, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status === 0) return { ok: true };
    return { ok: false, reason: (r.stderr || r.error?.message || `exit ${r.status}`).trim() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Recreate the host's top-level symlinks (/bin -> usr/bin) inside a container root. */
/** The host's top-level symlinks (/bin → usr/bin on merged-/usr systems): read once, they do not change under a running process. */
let rootLinkTargets: Map<string, string | undefined> | undefined;

function prepareRoot(root: string): void {
  rootLinkTargets ??= new Map(ROOT_LINKS.map((link) => [link, readLink(link)]));
  for (const link of ROOT_LINKS) {
    const target = rootLinkTargets.get(link);
    const inRoot = path.join(root, link);
    // lstat, not exists: the link made by an earlier launch (a retried container) points into the
    // sandbox's /usr, which is not there on the host.
    if (target !== undefined && !pathEntryExists(inRoot)) symlinkSync(target, inRoot);
  }
}

function pathEntryExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function readLink(p: string): string | undefined {
  try {
    const st = lstatSync(p);
    return st.isSymbolicLink() ? realRelativeLink(p) : undefined;
  } catch {
    return undefined;
  }
}

function realRelativeLink(p: string): string {
  return path.relative('/', realpathSync(p));
}

function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Read-only binds of the host's system directories. A directory that must hold something of the
 * pod (a volume at /etc/config, an input file under /etc) cannot be bound whole - its mount point
 * could not be created inside a read-only bind - so it is rebuilt entry by entry around it.
 */
function systemBinds(targets: string[]): string[] {
  const args: string[] = [];
  const bindTree = (dir: string): void => {
    const inside = targets.filter((t) => t.startsWith(`${dir}/`));
    if (inside.length === 0) {
      args.push('--ro-bind', dir, dir);
      return;
    }
    args.push('--dir', dir);
    for (const entry of readdirSync(dir)) {
      const child = path.join(dir, entry);
      if (targets.includes(child)) continue;
      const link = lstatSync(child).isSymbolicLink() ? readlinkSync(child) : undefined;
      if (link !== undefined) args.push('--symlink', link, child);
      else if (targets.some((t) => t.startsWith(`${child}/`)) && isRealDir(child)) bindTree(child);
      else args.push('--ro-bind', child, child);
    }
  };
  for (const dir of ['/usr', '/etc', ...ROOT_LINKS]) {
    if (isRealDir(dir)) bindTree(dir);
  }
  return args;
}

/** As Kubernetes does: a pod's hostname is its name cut to 63 characters (the kernel refuses more than 64). */
function hostnameOf(pod: string): string {
  return pod.slice(0, 63).replace(/[-.]+$/, '');
}

function baseEnv(layout: PodLayout, container: ContainerSpec, pathDirs: string[], home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: pathDirs.join(':'),
    HOME: home,
    LANG: 'C.UTF-8',
    HOSTNAME: hostnameOf(layout.spec.name),
    ARGO_POD_NAME: layout.spec.name,
    ARGO_CONTAINER_NAME: container.name,
    ARGO_WORKFLOW_NAME: layout.spec.workflowName,
    ARGO_NODE_ID: layout.spec.nodeId,
  };
  for (const { name, value } of container.env) env[name] = value;
  return env;
}

/** A tool named by the command that the container's PATH lacks but the host has elsewhere. */
function extraToolBinds(settings: SandboxSettings, command: string, pathDirs: string[]): { binds: string[]; pathDirs: string[] } {
  if (command.includes('/')) return { binds: [], pathDirs: [] };
  const inSandboxPath = pathDirs.map((d) => (d === SHIMS_IN_SANDBOX ? settings.shimDir : d)).join(':');
  if (which(command, inSandboxPath)) return { binds: [], pathDirs: [] };
  const found = which(command, settings.searchPath);
  return found ? bindsForExecutable(found) : { binds: [], pathDirs: [] };
}

/**
 * `argv` is the container's command as resolved from spec and image map; `scriptFile` set when the
 * runtime wrote a script (its path is appended, as Argo does). `stateDir` is where the wrapper
 * leaves its records: the container's own unless another command runs in its environment (an exec
 * probe), which must not overwrite them.
 */
export function buildLaunch(settings: SandboxSettings, layout: PodLayout, container: ContainerSpec, argv: string[], scriptFile: boolean, stateDir = layout.stateDir(container.name)): Launch {
  return settings.mode === 'bwrap' ? bwrapLaunch(settings, layout, container, argv, scriptFile, stateDir) : plainLaunch(settings, layout, container, argv, scriptFile, stateDir);
}

/**
 * bwrap arguments that give a container's `/` (bound from `root`) the directories and top-level
 * links of any image: made by bwrap as it starts, not by the controller. --dir accepts a directory
 * that exists (a retried container, an exec probe in the same root); --symlink does not, hence
 * the check.
 */
function skeletonArgs(root: string): string[] {
  rootLinkTargets ??= new Map(ROOT_LINKS.map((link) => [link, readLink(link)]));
  const args: string[] = [];
  for (const link of ROOT_LINKS) {
    const target = rootLinkTargets.get(link);
    // lstat, not exists: the link points into the sandbox's /usr, which is not there on the host.
    if (target !== undefined && !pathEntryExists(path.join(root, link))) args.push('--symlink', target, link);
  }
  // 1777 like any /tmp: a container may run as another user.
  for (const dir of SHARED_ROOT_DIRS) args.push('--perms', '1777', '--dir', `/${dir}`);
  for (const dir of ROOT_DIRS) args.push('--dir', `/${dir}`);
  return args;
}

function bwrapLaunch(settings: SandboxSettings, layout: PodLayout, container: ContainerSpec, argv: string[], scriptFile: boolean, stateDir: string): Launch {
  const { tools, shimDir } = settings;
  const root = layout.rootDir(container.name);
  const mounts = layout.mounts(container);
  let pathDirs = [SHIMS_IN_SANDBOX, ...tools.pathDirs, ...STANDARD_PATH];
  const extra = extraToolBinds(settings, argv[0] ?? '', pathDirs);
  pathDirs = [SHIMS_IN_SANDBOX, ...tools.pathDirs, ...extra.pathDirs, ...STANDARD_PATH];

  const inSystem = [...mounts.map((m) => m.mountPath), ...Object.keys(layout.spec.files ?? {})].filter(isUnderSystemDir);
  // Mount points under system directories that exist on the host can be bound over in place.
  const targets = inSystem.filter((t) => !existsSync(t) || Object.keys(layout.spec.files ?? {}).includes(t));

  // No --die-with-parent: a sandbox outlives the helper that spawned it and the controller.
  const args = [
    '--unshare-pid',
    // Our wrapper is PID 1: when it ends, the kernel kills whatever the container left behind.
    '--as-pid-1',
    '--unshare-uts',
    '--hostname',
    hostnameOf(layout.spec.name),
    '--new-session',
    '--bind',
    root,
    '/',
    ...skeletonArgs(root),
    ...systemBinds(targets),
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    ...(isRealDir('/sys') ? ['--ro-bind', '/sys', '/sys'] : []),
    '--ro-bind',
    shimDir,
    SHIMS_IN_SANDBOX,
    '--ro-bind',
    path.join(shimDir, 'argosay'),
    '/argosay',
    '--bind',
    stateDir,
    STATE_IN_SANDBOX,
  ];
  for (const dir of [...tools.binds, ...extra.binds]) args.push('--ro-bind', dir, dir);
  if (tools.busybox && usesBusyboxShell(container.image)) {
    // /bin/sh is a symlink (to dash on Debian): bind over what it resolves to.
    args.push('--ro-bind', tools.busybox, realpathSync('/bin/sh'));
  }
  for (const m of [...mounts].reverse()) args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostDir, m.mountPath);
  args.push('--chdir', container.workingDir ?? '/');

  const command = scriptFile ? [...argv, SCRIPT_PATH] : argv;
  return {
    argv: [tools.bwrap ?? 'bwrap', ...args, '--', '/bin/sh', `${SHIMS_IN_SANDBOX}/${WRAPPER}`, STATE_IN_SANDBOX, captureMode(container), ...command],
    env: baseEnv(layout, container, pathDirs, '/root'),
    cwd: root,
  };
}

function plainLaunch(settings: SandboxSettings, layout: PodLayout, container: ContainerSpec, argv: string[], scriptFile: boolean, stateDir: string): Launch {
  const { tools, shimDir } = settings;
  const root = layout.rootDir(container.name);
  let pathDirs = [shimDir, ...tools.pathDirs, ...STANDARD_PATH];
  const extra = extraToolBinds(settings, argv[0] ?? '', pathDirs);
  pathDirs = [shimDir, ...tools.pathDirs, ...extra.pathDirs, ...STANDARD_PATH];

  const rewriter = plainRewriter(layout, container, shimDir);
  let command = argv.map((a) => rewriter.rewrite(a));
  if (argv[0] === '/argosay') command[0] = path.join(shimDir, 'argosay');
  if (tools.busybox && usesBusyboxShell(container.image) && (argv[0] === 'sh' || argv[0] === '/bin/sh')) {
    command = [tools.busybox, 'sh', ...command.slice(1)];
  }
  if (scriptFile) command.push(path.join(root, SCRIPT_PATH));

  const env = baseEnv(layout, container, pathDirs, path.join(root, 'root'));
  for (const { name } of container.env) env[name] = rewriter.rewrite(env[name] ?? '');
  env.TMPDIR = path.join(root, 'tmp');
  return {
    argv: ['/bin/sh', path.join(shimDir, WRAPPER), stateDir, captureMode(container), ...command],
    env,
    cwd: layout.hostPath(container, container.workingDir ?? '/'),
  };
}

/** The wrapper's second argument: whether it keeps the command's stdout as the result. */
function captureMode(container: ContainerSpec): string {
  return container.captureResult ? 'stdout' : '-';
}

/** The script as written to the container: without a sandbox its declared paths are rewritten too. */
export function scriptSource(settings: SandboxSettings, layout: PodLayout, container: ContainerSpec, source: string): string {
  return settings.mode === 'none' ? plainRewriter(layout, container, settings.shimDir).rewrite(source) : source;
}

/** The paths a plain-process container declares, mapped to where they live for this pod. */
export function plainRewriter(layout: PodLayout, container: ContainerSpec, shimDir: string): PathRewriter {
  const map = new Map<string, string>();
  const add = (p: string): void => {
    if (p !== '/' && p.startsWith('/')) map.set(p, layout.hostPath(container, p));
  };
  add('/tmp');
  for (const m of container.volumeMounts) add(m.mountPath);
  for (const file of Object.values(container.outputFiles ?? {})) {
    add(file);
    add(path.posix.dirname(file));
  }
  for (const file of Object.keys(layout.spec.files ?? {})) add(file);
  if (container.workingDir) add(container.workingDir);
  map.set('/argosay', path.join(shimDir, 'argosay'));
  return new PathRewriter(map);
}
