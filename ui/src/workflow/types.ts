// The parts of Argo's Workflow that the workflow page reads (the server sends the whole object).

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  description?: string;
  enum?: string[];
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: string;
  phase: string;
  templateName?: string;
  templateRef?: { name?: string; template?: string };
  boundaryID?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  children?: string[];
  outboundNodes?: string[];
  inputs?: { parameters?: Parameter[]; artifacts?: { name: string }[] };
  outputs?: { parameters?: Parameter[]; artifacts?: { name: string }[]; result?: string; exitCode?: string };
  progress?: string;
  hostNodeName?: string;
  synchronizationStatus?: { waiting?: string };
}

export interface Workflow {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec: {
    entrypoint?: string;
    arguments?: { parameters?: Parameter[] };
    suspend?: boolean;
    shutdown?: string;
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    progress?: string;
    nodes?: Record<string, NodeStatus>;
    outputs?: { parameters?: Parameter[] };
    synchronization?: {
      semaphore?: { holding?: { semaphore: string }[]; waiting?: { semaphore: string }[] };
      mutex?: { holding?: { mutex: string }[]; waiting?: { mutex: string }[] };
    };
  };
}
