// `argot sync create|get|update|delete KEY`: semaphore limits through the server's SyncService, with
// argo's flags (`--type configmap|database`, `--cm-name`, `--limit`). A ConfigMap limit is the
// ConfigMap's `data[KEY]`; database limits need a server with a lock database.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiError, type SyncConfigType, type SyncLimit, type SyncLimitRef } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { fieldLines } from './format.js';
import { namespaceOption, nonNegativeInt } from './options.js';

interface SyncOptions {
  namespace?: string;
  type: SyncConfigType;
  cmName?: string;
  limit?: number;
}

/** Limits are int32 in Argo's API. */
const MAX_LIMIT = 2_147_483_647;

function syncType(value: string): SyncConfigType {
  const upper = value.trim().toUpperCase();
  if (upper === 'CONFIGMAP' || upper === 'DATABASE') return upper;
  throw new InvalidArgumentError('expected configmap or database');
}

function limitValue(value: string): number {
  const n = nonNegativeInt(value);
  if (n > MAX_LIMIT) throw new InvalidArgumentError(`expected at most ${MAX_LIMIT}`);
  return n;
}

/** Where the limit is, for messages: `ConfigMap default/limits` or `the database (namespace default)`. */
function place(limit: Pick<SyncLimit, 'type' | 'namespace' | 'cmName'>): string {
  return limit.type === 'DATABASE' ? `the database (namespace ${limit.namespace})` : `ConfigMap ${limit.namespace}/${limit.cmName}`;
}

function describe(limit: SyncLimit): string {
  return fieldLines([
    ['Key:', limit.key],
    ['Namespace:', limit.namespace],
    ['Type:', limit.type],
    ['ConfigMap:', limit.type === 'CONFIGMAP' ? limit.cmName : undefined],
    ['Limit:', limit.limit],
  ]);
}

export function registerSyncCommand(program: Command, ctx: RemoteContext): void {
  const parent = program.command('sync').description('Manage semaphore limits (in ConfigMaps, or in the lock database) on the server');

  const verb = (name: 'create' | 'get' | 'update' | 'delete', description: string, withLimit: boolean): Command => {
    let command = namespaceOption(
      parent
        .command(name)
        .description(description)
        .argument('<key>', 'the semaphore: the ConfigMap data key, or the database key')
        .addOption(new Option('--type <type>', 'where the limit is stored: configmap or database').argParser(syncType).default('CONFIGMAP', 'configmap'))
        .option('--cm-name <name>', 'the ConfigMap that holds the limit (required with --type configmap)'),
      ctx,
    );
    if (withLimit) command = command.requiredOption('--limit <n>', `the number of holders allowed at once (0 to ${MAX_LIMIT})`, limitValue);
    return command;
  };

  /** The request's target, with the flags checked; server errors worded as `cannot <verb> sync limit: …`. */
  const run =
    (name: string, body: (namespace: string, key: string, ref: SyncLimitRef, opts: SyncOptions) => Promise<void>) =>
    async (key: string, opts: SyncOptions): Promise<void> => {
      if (opts.type === 'CONFIGMAP' && !opts.cmName) throw new CommandError('--cm-name is required with --type configmap: the ConfigMap that holds the limit');
      const ref: SyncLimitRef = { type: opts.type, ...(opts.type === 'CONFIGMAP' && { cmName: opts.cmName }) };
      try {
        await body(ctx.namespace(opts), key, ref, opts);
      } catch (err) {
        // Authentication failures keep the shared wording (which says how to fix them).
        if (!(err instanceof ApiError) || err.status === 401 || err.status === 403) throw err;
        throw new CommandError(`cannot ${name} sync limit "${key}": ${err.message}`);
      }
    };

  verb('create', 'Create a semaphore limit (with --type configmap, the ConfigMap is created if absent)', true).action(
    ctx.action(
      run('create', async (namespace, key, ref, opts) => {
        const limit = await ctx.client.sync.create(namespace, key, ref, opts.limit ?? 0);
        ctx.out(`Sync limit "${limit.key}" created in ${place(limit)} with limit ${limit.limit}\n`);
      }),
    ),
  );

  verb('get', 'Show a semaphore limit', false).action(
    ctx.action(
      run('get', async (namespace, key, ref) => {
        ctx.out(describe(await ctx.client.sync.get(namespace, key, ref)));
      }),
    ),
  );

  verb('update', 'Change an existing semaphore limit', true).action(
    ctx.action(
      run('update', async (namespace, key, ref, opts) => {
        const limit = await ctx.client.sync.update(namespace, key, ref, opts.limit ?? 0);
        ctx.out(`Sync limit "${limit.key}" in ${place(limit)} updated to ${limit.limit}\n`);
      }),
    ),
  );

  namespaceOption(
    parent
      .command('locks')
      .description('Show every lock: its limit, who holds it, and who waits for it in queue order (argot)')
      .option('-A, --all-namespaces', 'locks of every namespace'),
    ctx,
  ).action(
    ctx.action(async (opts: { namespace?: string; allNamespaces?: boolean }) => {
      const locks = await ctx.client.sync.locks(opts.allNamespaces ? '' : ctx.namespace(opts));
      if (locks.length === 0) {
        ctx.out('No locks are held or awaited.\n');
        return;
      }
      const rows = [['LOCK', 'TYPE', 'LIMIT', 'HOLDERS', 'WAITING']];
      for (const l of locks) {
        const waiting = l.waiting.map((w) => (w.priority ? `${w.holder} (priority ${w.priority})` : w.holder));
        rows.push([l.name, l.type, l.limit === undefined ? '?' : String(l.limit), l.holders.join(',') || '-', waiting.length ? `${waiting.length}: ${waiting.join(', ')}` : '-']);
      }
      const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
      ctx.out(rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('')).join('\n') + '\n');
    }),
  );

  verb('delete', 'Delete a semaphore limit (the ConfigMap itself stays)', false).action(
    ctx.action(
      run('delete', async (namespace, key, ref) => {
        await ctx.client.sync.delete(namespace, key, ref);
        ctx.out(`Sync limit "${key}" deleted from ${place({ type: ref.type, namespace, cmName: ref.cmName ?? '' })}\n`);
      }),
    ),
  );
}
