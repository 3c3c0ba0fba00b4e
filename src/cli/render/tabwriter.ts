// A clone of Go's text/tabwriter, which `argo get` and `argo list` use to align their tables, so
// our tables break columns the same way. Go's semantics that matter:
//  - a cell is text terminated by a tab; the text after a line's last tab is not part of any column;
//  - a column is aligned only over a *block* of consecutive lines that all have a cell in it, so a
//    line with fewer cells ends the block (this is how the onExit tree shares the main tree's widths:
//    argo separates them with a line made of tabs only);
//  - a column's width is its widest cell plus the padding, even when every cell is empty.
// Unlike Go, widths are display widths (ANSI escapes ignored, wide characters counted twice), so
// coloured cells align without Argo's trick of colouring the header too.

import { displayWidth } from './display-width.js';

export interface TabwriterOptions {
  /** Minimal cell width, padding included. Go's `minwidth`. */
  minWidth?: number;
  /** Spaces added to the widest cell of a column. Go's `padding`; argo uses 2 (get) and 3 (list). */
  padding?: number;
}

/** Aligns tab-separated lines. Trailing spaces are dropped: they are invisible and spoil diffs. */
export function tabwrite(lines: readonly string[], options: TabwriterOptions = {}): string[] {
  const minWidth = options.minWidth ?? 0;
  const padding = options.padding ?? 2;
  const cells = lines.map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const row = cells[i] ?? [];
      let text = '';
      row.forEach((cell, j) => {
        text += cell;
        const width = widths[j];
        if (width !== undefined && j < row.length - 1) text += ' '.repeat(Math.max(0, width - displayWidth(cell)));
      });
      out.push(text.trimEnd());
    }
  };

  // Go's recursive `format`: find each block of lines having a cell in `widths.length`, size that
  // column over the block, then do the same for the next column within the block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let written = line0;
    let line = line0;
    while (line < line1) {
      if (column >= (cells[line]?.length ?? 0) - 1) {
        line++;
        continue;
      }
      writeLines(written, line);
      const blockStart = line;
      let width = minWidth;
      for (; line < line1 && column < (cells[line]?.length ?? 0) - 1; line++) {
        width = Math.max(width, displayWidth(cells[line]?.[column] ?? '') + padding);
      }
      widths.push(width);
      format(blockStart, line);
      widths.pop();
      written = line;
    }
    writeLines(written, line1);
  };

  format(0, cells.length);
  return out;
}
