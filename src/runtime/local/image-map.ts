// Without containers an image is only a hint: this map plays the role of Argo's controller `images:`
// setting, giving the entrypoint an image would have run when a container has no `command`.
// Kubernetes semantics apply: `args` are appended to an ENTRYPOINT but replace a CMD, so images
// whose default is a CMD (alpine's /bin/sh, whalesay's cowsay) run `args` as the command.

export interface ImageDefaults {
  entrypoint?: string[];
  cmd?: string[];
}

interface ImageRule extends ImageDefaults {
  pattern: string;
}

const DEFAULT_RULES: ImageRule[] = [
  { pattern: 'argoproj/argosay:v1*', cmd: ['cowsay'] },
  { pattern: 'argoproj/argosay:*', entrypoint: ['/argosay'] },
  // No tag means :latest, which is v2.
  { pattern: 'argoproj/argosay', entrypoint: ['/argosay'] },
  { pattern: 'docker/whalesay*', cmd: ['cowsay'] },
  { pattern: 'alpine/git*', entrypoint: ['git'] },
  { pattern: 'alpine*', cmd: ['/bin/sh'] },
  { pattern: 'busybox*', cmd: ['/bin/sh'] },
  { pattern: 'debian*', cmd: ['bash'] },
  { pattern: 'ubuntu*', cmd: ['bash'] },
  { pattern: 'nginx*', cmd: ['nginx', '-g', 'daemon off;'] },
  { pattern: 'python*', cmd: ['python3'] },
  { pattern: 'node*', cmd: ['node'] },
  { pattern: 'influxdb*', cmd: ['influxd'] },
  { pattern: 'remuslazar/gnuplot*', entrypoint: ['gnuplot'] },
];

/** Images whose `sh` is busybox ash: Argo's examples use `$RANDOM` and `[[ ]]`, which dash lacks. */
const BUSYBOX_SHELL = ['alpine*', 'busybox*', 'curlimages/*'];

/** `docker.io/library/alpine:3.23` and `alpine:3.23` are the same image for matching purposes. */
export function normaliseImage(image: string): string {
  let name = image.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.indexOf('/');
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') name = name.slice(slash + 1);
  }
  if (name.startsWith('library/')) name = name.slice('library/'.length);
  return name;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

export class ImageMap {
  private readonly rules: { re: RegExp; defaults: ImageDefaults }[];

  /** User entries are entrypoints (args are appended) and win over the defaults, in their order. */
  constructor(user: Record<string, string[]> = {}) {
    this.rules = [
      ...Object.entries(user).map(([pattern, entrypoint]) => ({ re: globToRegExp(pattern), defaults: { entrypoint } })),
      ...DEFAULT_RULES.map(({ pattern, ...defaults }) => ({ re: globToRegExp(pattern), defaults })),
    ];
  }

  /** Patterns may name the registry (`example.com/tools/*`) or not (`alpine*`). */
  lookup(image: string): ImageDefaults | undefined {
    const name = normaliseImage(image);
    return this.rules.find((rule) => rule.re.test(image.trim()) || rule.re.test(name))?.defaults;
  }
}

export function usesBusyboxShell(image: string | undefined): boolean {
  if (!image) return false;
  const name = normaliseImage(image);
  return BUSYBOX_SHELL.some((glob) => globToRegExp(glob).test(name));
}

export type CommandResolution = { ok: true; argv: string[] } | { ok: false; reason: string };

/** The full argv a container runs, before any script path or sandbox rewriting. */
export function resolveCommand(
  map: ImageMap,
  container: { image?: string; command?: string[]; args?: string[] },
): CommandResolution {
  const args = container.args ?? [];
  if (container.command && container.command.length > 0) return { ok: true, argv: [...container.command, ...args] };
  const defaults = container.image ? map.lookup(container.image) : undefined;
  if (!defaults) {
    const what = container.image ? `image "${container.image}" has no entry in the image map` : 'no image';
    return { ok: false, reason: `no command: ${what}; set "command" or map the image to an entrypoint` };
  }
  const argv = defaults.entrypoint
    ? [...defaults.entrypoint, ...(args.length > 0 ? args : (defaults.cmd ?? []))]
    : args.length > 0
      ? args
      : (defaults.cmd ?? []);
  if (argv.length === 0) return { ok: false, reason: `no command: image "${container.image}" maps to an empty entrypoint` };
  return { ok: true, argv };
}
