import { describe, expect, it } from 'vitest';
import { compareWorkflows, goTime, workflowStatus } from '../../src/cli/remote/format.js';
import { parseOutputParameters } from '../../src/cli/remote/lifecycle.js';
import { parseDuration, parseLabels } from '../../src/cli/remote/options.js';
import { parseFrom } from '../../src/cli/remote/submit.js';
import { nextRun } from '../../src/cli/remote/templates.js';
import type { CronWorkflow } from '../../src/spec/types.js';
import { workflow } from './harness.js';

describe('flag parsing', () => {
  it('reads Go durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('10')).toThrow(/expected a duration/);
    expect(() => parseDuration('10x')).toThrow(/expected a duration/);
  });

  it('reads labels and --from', () => {
    expect(parseLabels('a=b, c=d=e')).toEqual({ a: 'b', c: 'd=e' });
    expect(() => parseLabels('novalue')).toThrow(/expected key=value/);
    expect(parseFrom('cwftmpl/x')).toEqual({ kind: 'clusterworkflowtemplate', name: 'x' });
    expect(parseFrom('CronWorkflow/nightly')).toEqual({ kind: 'cronworkflow', name: 'nightly' });
    expect(() => parseFrom('wftmpl/')).toThrow(/expected KIND\/NAME/);
  });

  it("unquotes output parameters as Go's strconv.Unquote would", () => {
    expect(parseOutputParameters(['a="x\\ty"', 'b=plain', 'c=`raw`', "d='single'"])).toEqual({ a: 'x\ty', b: 'plain', c: 'raw', d: "'single'" });
    expect(parseOutputParameters([])).toBeUndefined();
  });
});

describe('workflow presentation', () => {
  it("words the status as argo's list does", () => {
    const suspended = workflow('a', { phase: 'Running' });
    suspended.spec.suspend = true;
    expect(workflowStatus(suspended)).toBe('Running (Suspended)');
    const terminated = workflow('b', { phase: 'Failed' });
    terminated.spec.shutdown = 'Terminate';
    expect(workflowStatus(terminated)).toBe('Failed (Terminated)');
    expect(workflowStatus(workflow('c', { created: '2024-01-01T00:00:00Z' }))).toBe('Pending');
    expect(workflowStatus(workflow('d'))).toBe('Unknown');
  });

  it('orders unfinished first by creation, then finished by finish time', () => {
    const list = [
      workflow('old-done', { created: '2024-01-01T00:00:00Z', finished: '2024-01-01T00:01:00Z' }),
      workflow('new-done', { created: '2024-01-01T00:00:00Z', finished: '2024-01-02T00:00:00Z' }),
      workflow('old-run', { created: '2024-01-01T00:00:00Z' }),
      workflow('new-run', { created: '2024-01-03T00:00:00Z' }),
    ];
    expect(list.sort(compareWorkflows).map((w) => w.metadata.name)).toEqual(['new-run', 'old-run', 'new-done', 'old-done']);
  });

  it("prints finish times as Go's time.String() in UTC", () => {
    expect(goTime('2024-05-01T10:00:05Z')).toBe('2024-05-01 10:00:05 +0000 UTC');
    expect(goTime(undefined)).toBe('0001-01-01 00:00:00 +0000 UTC');
  });

  it('finds the soonest next run over all schedules, in the time zone', () => {
    const cron = (schedules: string[], timezone?: string): CronWorkflow => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name: 'c' },
      spec: { schedules, ...(timezone && { timezone }), workflowSpec: {} },
    });
    const now = new Date('2024-05-01T10:00:00Z');
    expect(nextRun(cron(['0 12 * * *', '30 10 * * *']), now)?.toISOString()).toBe('2024-05-01T10:30:00.000Z');
    expect(nextRun(cron(['0 12 * * *'], 'America/New_York'), now)?.toISOString()).toBe('2024-05-01T16:00:00.000Z');
    expect(nextRun(cron(['@every 1h']), now)).toBeUndefined();
  });
});
