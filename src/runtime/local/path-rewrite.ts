// Without a mount namespace a container cannot have its own `/tmp` or `/mnt/vol`. The next best
// thing: rewrite the absolute paths the pod declares (volume mount paths, output files, /tmp) where
// they appear literally in the command, args, env and script, so the common case - a script that
// writes `/tmp/out.txt` which is then read as an output - lands in the pod's own directory.
// Paths a script computes at run time are not caught; the runtime's warning says so.

/** Characters that continue a path: a match must not be part of a longer name. */
const PATH_CHAR = /[A-Za-z0-9_.\-~]/;

export class PathRewriter {
  private readonly entries: [string, string][];
  private readonly pattern: RegExp | undefined;

  /** `map`: absolute sandbox path -> host path. Longer paths win. */
  constructor(map: Map<string, string>) {
    this.entries = [...map.entries()].filter(([from]) => from !== '/' && from.startsWith('/')).sort((a, b) => b[0].length - a[0].length);
    if (this.entries.length === 0) return;
    const alternatives = this.entries.map(([from]) => from.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(`(${alternatives.join('|')})`, 'g');
  }

  rewrite(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, (match: string, _group: string, offset: number) => {
      const before = offset > 0 ? text[offset - 1]! : '';
      // `$HOME/tmp`, `${DIR}/tmp` and `/var/tmp` are other paths.
      if (before !== '' && (PATH_CHAR.test(before) || before === '/' || before === '}' || before === ')')) return match;
      // The longest declared path that ends at a path boundary: `/tmpfile` is not `/tmp`.
      for (const [from, to] of this.entries) {
        const base = from.replace(/\/+$/, '');
        if (!match.startsWith(base)) continue;
        const after = text[offset + base.length] ?? '';
        if (after === '' || !PATH_CHAR.test(after)) return to + match.slice(base.length);
      }
      return match;
    });
  }

  /** Where a sandbox path lives on the host, or undefined when it is not under a rewritten path. */
  hostPathFor(sandboxPath: string): string | undefined {
    for (const [from, to] of this.entries) {
      const base = from.replace(/\/+$/, '');
      if (sandboxPath === base) return to;
      if (sandboxPath.startsWith(`${base}/`)) return to + sandboxPath.slice(base.length);
    }
    return undefined;
  }
}
