// The only module that reads process.env: everything else receives a Config.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Config {
  /** The data dir: store, pod sandboxes, logs. */
  dataDir: string;
  namespace: string;
  sandbox: 'auto' | 'bwrap' | 'none';
  /** Colour on stdout (NO_COLOR, FORCE_COLOR, TTY, TERM=dumb). */
  color: boolean;
  /** Colour and redraws on stderr (progress). */
  stderrTty: boolean;
  /** The argot (or Argo) server the CLI talks to, and its bearer token. */
  server: string;
  token?: string;
  /** Where host tools are found (python3, busybox, bwrap…). */
  searchPath: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, streams = { stdoutTty: process.stdout.isTTY === true, stderrTty: process.stderr.isTTY === true }): Config {
  const dataDir = env.ARGOT_HOME || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'argot');
  const sandbox = env.ARGOT_SANDBOX === 'none' || env.ARGOT_SANDBOX === 'bwrap' ? env.ARGOT_SANDBOX : 'auto';
  const noColor = (env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb';
  const force = (env.FORCE_COLOR ?? '') !== '' && env.FORCE_COLOR !== '0';
  return {
    dataDir,
    namespace: env.ARGOT_NAMESPACE || env.ARGO_NAMESPACE || 'default',
    sandbox,
    color: !noColor && (force || streams.stdoutTty),
    stderrTty: streams.stderrTty && env.TERM !== 'dumb',
    searchPath: env.PATH || '/usr/local/bin:/usr/bin:/bin',
    server: env.ARGOT_SERVER || env.ARGO_SERVER || 'http://127.0.0.1:2746',
    ...(env.ARGOT_TOKEN || env.ARGO_TOKEN ? { token: (env.ARGOT_TOKEN || env.ARGO_TOKEN || '').replace(/^Bearer /, '') } : {}),
  };
}
