// `npm run chaos [-- --workflows N --seed S]`: the pod-loss chaos run of issue 6 (needs `npm run build`).
import { fileURLToPath } from 'node:url';
import { formatReport, runChaos } from './chaos/run-chaos.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const repo = fileURLToPath(new URL('..', import.meta.url));
const seed = flag('seed', Date.now() % 100000);
console.log(`seed ${seed} (repeat with --seed ${seed})`);
const report = await runChaos({ workflows: flag('workflows', 50), seed, repo, log: (l) => console.log(l) });
console.log(formatReport(report));
const ok = report.unfinished.length === 0 && report.violations.length === 0 && report.locksHeldAtEnd === 0 && report.maxMutexHolders <= 1;
process.exit(ok ? 0 : 1);
