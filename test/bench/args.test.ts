import { describe, expect, it } from 'vitest';
import { parseBenchArgs, sizesFor, UsageError, WORKLOADS } from '../../bench/args.js';
import { markdownTable, row } from '../../bench/report.js';

describe('bench runner arguments', () => {
  it('runs every workload in the smoke tier by default', () => {
    const args = parseBenchArgs([]);
    expect(args).toEqual({ tier: 'smoke', json: false, workloads: [...WORKLOADS], overrides: {} });
    expect(sizesFor(args, 'sequential').steps).toBe(50);
  });

  it('takes the full tier, JSON, named workloads in suite order and size overrides', () => {
    const args = parseBenchArgs(['semaphore', 'dag', '--full', '--json', '--workflows', '300', '--limit=5']);
    expect(args.tier).toBe('full');
    expect(args.json).toBe(true);
    expect(args.workloads).toEqual(['dag', 'semaphore']);
    expect(sizesFor(args, 'semaphore')).toMatchObject({ workflows: 300, limit: 5, sleep: 0.05 });
    expect(sizesFor(args, 'dag')).toMatchObject({ tasks: 1000, width: 50 });
    expect(sizesFor(parseBenchArgs(['--full']), 'many-workflows').workflows).toBe(10000);
  });

  it('rejects unknown workloads, unknown flags and bad sizes with a clear message', () => {
    expect(() => parseBenchArgs(['dags'])).toThrow(new UsageError('unknown workload dags (known: sequential, fan-out, dag, large-workflow, many-workflows, list, restart, semaphore)'));
    expect(() => parseBenchArgs(['--fast'])).toThrow('unknown flag --fast');
    expect(() => parseBenchArgs(['--pods', 'many'])).toThrow('--pods needs a positive number, got many');
    expect(() => parseBenchArgs(['--pods'])).toThrow('--pods needs a positive number, got nothing');
  });
});

describe('bench report', () => {
  it('derives the ratio and prints one table row per figure', () => {
    const r = row({ workload: 'w', metric: 'per step (ms)', figure: 9, floorName: 'sandboxed spawn', floor: 6, argo: '10 s', goal: '≤1.5×', met: true, details: {} });
    expect(r.ratio).toBe(1.5);
    expect(markdownTable([r]).split('\n')[2]).toBe('| w | per step (ms) | 9.00 | sandboxed spawn 6.00 | 1.50× | 10 s | ≤1.5× | yes |');
  });
});
