import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpectation, parseExpectedTsv } from '../../scripts/conformance/expected.js';
import { REPO_ROOT } from '../../scripts/conformance/main.js';
import { RANDOM_PHASES } from '../../scripts/conformance/random-phases.js';

describe('parseExpectation', () => {
  it.each([
    ['Succeeded', ['Succeeded'], false],
    ['Succeeded (C fails but its failure is handled by depends `C.Failed`)', ['Succeeded'], false],
    ['Failed (E fails, G omitted)', ['Failed'], false],
    ['Failed eventually (exit 1 stops retries via expression)', ['Failed'], false],
    ['Failed? (both steps exceed 10s timeout)', ['Failed'], true],
    ['Succeeded? (downloads kubectl 1.8 over HTTP)', ['Succeeded'], true],
    ['Error (absent optional output)', ['Error'], false],
  ])('%s', (text, phases, inferred) => {
    expect(parseExpectation(text)).toEqual({ phases, inferred });
  });

  it('marks outcomes that need a human as interactive', () => {
    expect(parseExpectation('Succeeded after `argo resume` (then 20 s auto-resume)')?.interactive).toBe(
      'Succeeded after `argo resume` (then 20 s auto-resume)',
    );
  });

  it('reads nothing from n/a and from prose', () => {
    expect(parseExpectation('n/a (supporting manifest)')).toBeUndefined();
    expect(parseExpectation('it depends')).toBeUndefined();
    expect(parseExpectation('Succeededish')).toEqual({ phases: ['Succeeded'], inferred: false });
  });
});

describe('parseExpectedTsv', () => {
  it('reads the columns by header name', () => {
    const rows = parseExpectedTsv(
      'file\ttier\texpected\ttools\tneeds\trandom\tlong\targo_ci\n' +
        'a.yaml\t1\tSucceeded\tpython3,sh\t\trandom\t\trun\n' +
        'b/c.yaml\tnet\tSucceeded\t\tnetwork\t\tlong\tskip:environment\n',
    );
    expect(rows).toEqual([
      { file: 'a.yaml', tier: '1', expected: 'Succeeded', tools: ['python3', 'sh'], needs: [], random: true, long: false, argoCi: 'run' },
      { file: 'b/c.yaml', tier: 'net', expected: 'Succeeded', tools: [], needs: ['network'], random: false, long: true, argoCi: 'skip:environment' },
    ]);
  });

  it('refuses a table without the columns it needs', () => {
    expect(() => parseExpectedTsv('name\tphase\nx\ty\n')).toThrow(/file, tier and expected/);
  });
});

const corpus = process.env['ARGOT_EXAMPLES'] ?? join(REPO_ROOT, '..', 'shared', 'argo-examples');
const tsv = join(corpus, 'EXPECTED.tsv');

describe.skipIf(!existsSync(tsv))('the real EXPECTED.tsv', () => {
  const rows = existsSync(tsv) ? parseExpectedTsv(readFileSync(tsv, 'utf8')) : [];

  it('has an outcome argot can read for every row that is not a supporting manifest', () => {
    const unreadable = rows.filter((r) => r.tier !== 'support' && !parseExpectation(r.expected));
    expect(unreadable.map((r) => `${r.file}: ${r.expected}`)).toEqual([]);
  });

  it('names only files that exist', () => {
    expect(rows.filter((r) => !existsSync(join(corpus, r.file))).map((r) => r.file)).toEqual([]);
  });

  it('has a phase table entry for every random file, and no stale entries', () => {
    const random = rows.filter((r) => r.random).map((r) => r.file).sort();
    expect(Object.keys(RANDOM_PHASES).sort()).toEqual(random);
  });
});
