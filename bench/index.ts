// `npm run bench -- <name> [--workflows N] [--limit N]`: one benchmark, its figures and its ratios
// against this machine's floor, measured in the same run.
import { semaphoreBench } from './semaphore.js';

const benches: Record<string, (args: Map<string, string>) => Promise<number>> = {
  semaphore: (args) =>
    semaphoreBench({
      workflows: Number(args.get('workflows') ?? 1000),
      limit: Number(args.get('limit') ?? 10),
      sleepSeconds: Number(args.get('sleep') ?? 0.05),
    }),
};

function parseArgs(argv: string[]): { names: string[]; args: Map<string, string> } {
  const names: string[] = [];
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      args.set(k ?? '', v ?? argv[++i] ?? '');
    } else names.push(a);
  }
  return { names, args };
}

const { names, args } = parseArgs(process.argv.slice(2));
const unknown = names.filter((n) => !(n in benches));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [--workflows N] [--limit N] [--sleep S]${unknown.length ? `\nunknown benchmark: ${unknown.join(', ')}` : ''}`);
  process.exit(2);
}
let code = 0;
for (const name of names) code = Math.max(code, await (benches[name] as (a: Map<string, string>) => Promise<number>)(args));
process.exit(code);
