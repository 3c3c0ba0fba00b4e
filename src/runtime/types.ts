// The pod runtime contract: what the controller asks of a runtime (local sandboxes today,
// Kubernetes later) and what it hears back. Everything the engine decided is already resolved
// here: no tags, no templates, only a pod to run.

export type VolumeSource =
  | { kind: 'emptyDir' }
  /** A named directory that outlives the pod (PVC, volumeClaimTemplates). `key` names it. */
  | { kind: 'persistent'; key: string }
  | { kind: 'hostPath'; path: string }
  /** Files materialised from a ConfigMap or Secret: file name -> content. */
  | { kind: 'files'; files: Record<string, string> };

export interface PodVolume {
  name: string;
  source: VolumeSource;
}

export interface ContainerMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export type ContainerRole = 'init' | 'main' | 'sidecar';

export interface ContainerSpec {
  name: string;
  role: ContainerRole;
  image?: string;
  /** Absent: the image map decides (the image's entrypoint). */
  command?: string[];
  args?: string[];
  env: { name: string; value: string }[];
  workingDir?: string;
  volumeMounts: ContainerMount[];
  /** Script templates: the runtime writes the source to a file (mode 0755) and appends its path to the command. */
  script?: string;
  /** containerSet: start only once these containers exited 0. */
  dependencies?: string[];
  /** Files read after the container exits, reported in its `exited` event: output parameter name -> absolute path in the pod. */
  outputFiles?: Record<string, string>;
  /** Capture stdout as `result` (main containers). */
  captureResult?: boolean;
  /**
   * containerSet.retryStrategy, as Argo's emissary does it: a command that exits non-zero runs
   * again in the same container, `delayMs` after it ended, up to `executions` runs in all. The
   * container reports one start and one exit (the last run's); its log has every run. Not retried:
   * a command that cannot be started, a container killed (fail-fast, deletion), a dependency wait.
   */
  retry?: { executions: number; delayMs: number };
  /** Kubernetes' readinessProbe, ports resolved to numbers: the runtime reports `containerReady` once it passes. */
  readinessProbe?: ReadinessProbe;
}

/**
 * A readiness probe as the runtime runs it (Kubernetes' Probe, named ports already resolved). The
 * first check is `initialDelaySeconds` after the container started, then one every
 * `periodSeconds` (default 10), each given `timeoutSeconds` (default 1); `successThreshold`
 * consecutive passes (default 1) make the container ready. Readiness is reported once: a runtime
 * stops probing a ready container (no one acts on a container becoming unready again).
 */
export interface ReadinessProbe {
  /** Passes on a status from 200 to 399. `host` defaults to the pod's address (127.0.0.1 locally). */
  httpGet?: { host?: string; port: number; path?: string; scheme?: 'HTTP' | 'HTTPS'; headers?: { name: string; value: string }[] };
  /** Passes when a TCP connection opens. */
  tcpSocket?: { host?: string; port: number };
  /** Passes when the command, run in the container's environment, exits 0. */
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  /** Kept for completeness: a readiness failure never kills a container, and readiness is reported once. */
  failureThreshold?: number;
}

export interface PodSpec {
  /** Unique across the runtime; deterministic (Argo's pod-name scheme). */
  name: string;
  namespace: string;
  workflowName: string;
  nodeId: string;
  volumes: PodVolume[];
  /** Init containers run first, in order; then the others start together (sidecars and main, or a containerSet graph). */
  containers: ContainerSpec[];
  /** Kill the pod this many seconds after it started (activeDeadlineSeconds/timeout). */
  activeDeadlineSeconds?: number;
  /** Raw input artifacts to place in the pod before any container starts: absolute path -> content. */
  files?: Record<string, string>;
}

export type ContainerState =
  | { state: 'waiting' }
  /** `ready`: its readiness probe passed (containers without one are never marked). */
  | { state: 'running'; startedAt: string; ready?: boolean }
  | {
      state: 'terminated';
      exitCode: number;
      startedAt?: string;
      finishedAt: string;
      /** Why it ended without running or with a signal: "command not found: python", "killed". */
      reason?: string;
      message?: string;
    };

export interface ContainerResult {
  /** stdout, last 256 KiB, one trailing newline trimmed. Only when captureResult. */
  result?: string;
  /** Output file name -> content (one trailing newline trimmed); absent key: file missing. */
  outputs: Record<string, string>;
}

/** A pod as last observed. The runtime owns it; the controller folds events into these. */
export interface PodObservation {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Gone';
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  /** Gone: why (deleted on request, past its deadline, or lost with its machine or sandbox). */
  reason?: 'deleted' | 'deadline' | 'lost';
  containers: Record<string, ContainerState & Partial<ContainerResult>>;
}

export type PodEvent =
  | { type: 'podStarted'; pod: string; at: string }
  | { type: 'containerStarted'; pod: string; container: string; at: string }
  /** The container's readinessProbe passed (once per container run; runtimes without probes never send it). */
  | { type: 'containerReady'; pod: string; container: string; at: string }
  | ({ type: 'containerExited'; pod: string; container: string; exitCode: number; at: string; startedAt?: string; reason?: string } & ContainerResult)
  /** Every container ended (main and its dependencies; sidecars killed afterwards). */
  | { type: 'podFinished'; pod: string; at: string; phase: 'Succeeded' | 'Failed'; message?: string }
  /** The pod disappeared without its containers' exit states (deleted, deadline, node lost). */
  | { type: 'podGone'; pod: string; at: string; reason: 'deleted' | 'deadline' | 'lost'; message: string };

export type PodEventListener = (event: PodEvent) => void;

export interface PodRuntime {
  /** Start a pod. Idempotent: creating a pod that already exists is a no-op. Resolves once it is accepted, not when it ends. */
  createPod(spec: PodSpec): Promise<void>;
  /** Kill a pod. Abrupt by default (the sandbox is killed; `podGone` follows); with graceSeconds containers get SIGTERM first and their exit states are reported. */
  deletePod(name: string, opts?: { graceSeconds?: number }): Promise<void>;
  /** Pods the runtime knows about (running or finished and not yet cleaned). */
  listPods(): Promise<string[]>;
  /** Absolute path of a container's log file (stdout and stderr interleaved). */
  logPath(pod: string, container: string): string;
  /** Remove a finished pod's sandbox directory (pod GC). Logs stay. */
  cleanupPod(name: string): Promise<void>;
  onEvent(listener: PodEventListener): () => void;
  /**
   * Pods left by an earlier controller process (their sandboxes outlive it): each one's spec and its
   * state as far as durable records tell. Those still running are watched from now on, and their
   * events follow as usual; those whose sandbox is gone without an exit record are `Gone` ('lost').
   */
  adopt(): Promise<{ spec: PodSpec; observation: PodObservation }[]>;
  /** Stops the runtime. Pods are killed unless `keepPods` (a server restarting leaves them running). */
  close(opts?: { keepPods?: boolean }): Promise<void>;
}
