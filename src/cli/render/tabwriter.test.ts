import { describe, expect, it } from 'vitest';
import { displayWidth, stripAnsi } from './display-width.js';
import { tabwrite } from './tabwriter.js';

describe('tabwrite', () => {
  it('pads each tab-terminated cell to its column width plus padding', () => {
    expect(tabwrite(['a\tbb\tc', 'aaa\tb\tcc'], { padding: 2 })).toEqual(['a    bb  c', 'aaa  b   cc']);
  });

  it('leaves the text after the last tab out of any column', () => {
    expect(tabwrite(['NAME\tSTATUS', 'a-very-long-name\tRunning'], { padding: 3 })).toEqual([
      `NAME${' '.repeat(15)}STATUS`,
      'a-very-long-name   Running',
    ]);
  });

  it('aligns a column only over consecutive lines that have it, like Go', () => {
    // The middle line has no tab, so it splits the first column into two blocks.
    expect(tabwrite(['x\t1', 'no tabs here', 'longer\t2'], { padding: 1 })).toEqual(['x 1', 'no tabs here', 'longer 2']);
  });

  it('gives an all-empty column its padding, which keeps blocks joined across a line of tabs', () => {
    expect(tabwrite(['ab\tc', '\t', 'abcd\te'], { padding: 2 })).toEqual(['ab    c', '', 'abcd  e']);
  });

  it('honours minWidth', () => {
    expect(tabwrite(['a\tb'], { minWidth: 5, padding: 1 })).toEqual(['a    b']);
  });

  it('counts display width: escapes are free, CJK and emoji take two columns', () => {
    const lines = tabwrite(['\u001b[32m✔\u001b[39m ok\tX', '漢字\tY', '🚀\tZ', 'e\u0301\tW'], { padding: 1 });
    expect(lines.map((l) => displayWidth(l.slice(0, l.length - 1)))).toEqual([5, 5, 5, 5]);
    expect(stripAnsi(lines[0] ?? '')).toBe('✔ ok X');
  });
});

describe('displayWidth', () => {
  it('ignores CSI and OSC escapes', () => {
    expect(displayWidth('\u001b[1;31mred\u001b[0m')).toBe(3);
    expect(displayWidth('\u001b]8;;https://x\u0007link\u001b]8;;\u0007')).toBe(4);
  });

  it('treats combining marks and variation selectors as zero width', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('✔\ufe0e')).toBe(1);
  });
});
