// `argot version`: this CLI's version, then the server's, as `argo version` prints both.

import type { Command } from 'commander';
import { version } from '../../version.js';
import type { RemoteContext } from './context.js';

export function registerVersionCommand(program: Command, ctx: RemoteContext): void {
  program
    .command('version')
    .description("Print argot's version and the server's")
    .option('--short', 'only the version numbers')
    .action(
      ctx.action(async (opts: { short?: boolean }) => {
        const v = (text: string): string => (text.startsWith('v') ? text : `v${text}`);
        ctx.out(`argot: ${v(version)}\n`);
        if (!opts.short) ctx.out(`  NodeVersion: ${process.version}\n  Platform: ${process.platform}/${process.arch}\n`);
        // After the client's part, so an unreachable server still leaves that printed.
        const server = await ctx.client.version();
        ctx.out(`argot-server: ${server.version ? v(server.version) : 'unknown'}\n`);
        if (opts.short) return;
        const fields: [string, string | undefined][] = [
          ['BuildDate', server.buildDate],
          ['GitCommit', server.gitCommit],
          ['GitTreeState', server.gitTreeState],
          ['GitTag', server.gitTag],
          ['GoVersion', server.goVersion],
          ['Compiler', server.compiler],
          ['Platform', server.platform],
        ];
        for (const [label, value] of fields) if (value) ctx.out(`  ${label}: ${value}\n`);
      }),
    );
}
