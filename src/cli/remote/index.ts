// The CLI's server mode: `argot` commands that act through an Argo-compatible server's REST API
// (argot's own server, or a real Argo Server) rather than on the local store.

import type { Command } from 'commander';
import { registerApplyCommand } from './apply.js';
import { completesWorkflows, registerCompletionCommand } from './completion.js';
import { RemoteContext, type RemoteDeps } from './context.js';
import { registerDeleteCommand } from './delete.js';
import { registerGetCommands } from './get.js';
import { registerLifecycleCommands } from './lifecycle.js';
import { registerLogsCommand } from './logs.js';
import { registerPodCommands } from './pods.js';
import { registerSubmitCommand } from './submit.js';
import { registerSyncCommand } from './sync.js';
import { registerTemplateCommands } from './templates.js';
import { registerVersionCommand } from './version.js';
import { registerWatchCommands } from './watch.js';

export { CommandError, ExitError, type Output, type RemoteDeps, type Writer } from './context.js';

const WORKFLOW_NAME_COMMANDS = ['get', 'logs', 'watch', 'wait', 'delete', 'retry', 'resubmit', 'stop', 'terminate', 'suspend', 'resume'];

/**
 * Adds submit, list, get, logs, watch, wait, delete, retry, resubmit, stop, terminate, suspend,
 * resume, node, template, cluster-template, cron, sync, apply, version and completion to `program`.
 * Failures print one `argot: …` line and throw commander's CommanderError with the exit code, which a
 * program parsed with exitOverride() turns into its return value.
 */
export function registerRemoteCommands(program: Command, deps: RemoteDeps): void {
  const ctx = new RemoteContext(deps);
  registerSubmitCommand(program, ctx);
  registerGetCommands(program, ctx);
  registerLogsCommand(program, ctx);
  registerWatchCommands(program, ctx);
  registerDeleteCommand(program, ctx);
  registerLifecycleCommands(program, ctx);
  registerPodCommands(program, ctx);
  registerTemplateCommands(program, ctx);
  registerSyncCommand(program, ctx);
  registerApplyCommand(program, ctx);
  registerVersionCommand(program, ctx);
  registerCompletionCommand(program, ctx);
  for (const command of program.commands) if (WORKFLOW_NAME_COMMANDS.includes(command.name())) completesWorkflows(command);
  const node = program.commands.find((c) => c.name() === 'node');
  for (const command of node?.commands ?? []) completesWorkflows(command);
}
