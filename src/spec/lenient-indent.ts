// go-yaml accepts a multi-line flow collection or quoted scalar whose continuation lines are not
// indented past their parent key, and eight of Argo's own examples rely on it:
//
//     args: ["
//       echo hi
//     "]            <- the closing line sits at the key's indentation
//
// The `yaml` package follows the spec and rejects that. Indenting such continuation lines further is
// value-preserving (leading whitespace of a continuation line is folded away in quoted scalars and
// meaningless inside flow collections), so the loader re-parses the text with those lines padded.
// Only spaces are inserted, so line numbers stay exact and columns are shifted back per line.

export interface Reindented {
  text: string;
  /** 0-based line index -> number of spaces inserted at its start. */
  shifts: Map<number, number>;
}

type Quote = '"' | "'";

interface ScanState {
  flowDepth: number;
  quote: Quote | null;
  /** Minimum indentation a continuation line of the current flow/quoted scalar needs. */
  minIndent: number;
  /** Set while inside a block scalar (`|`, `>`): lines indented more than this belong to it. */
  blockScalarParent: number | null;
  /** Inside a flow collection: whether the next character starts a new token (so a quote opens a scalar). */
  atFlowToken: boolean;
}

const BLOCK_SCALAR_HEADER = /^[|>][0-9+-]*\s*(#.*)?$/;
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

export function reindentFlowContinuations(src: string): Reindented | undefined {
  const lines = src.split('\n');
  const shifts = new Map<number, number>();
  const st: ScanState = { flowDepth: 0, quote: null, minIndent: 0, blockScalarParent: null, atFlowToken: false };

  for (let n = 0; n < lines.length; n++) {
    let line = lines[n] ?? '';
    const indent = leadingSpaces(line);
    const blank = line.trim() === '';

    if (DOCUMENT_MARKER.test(line)) {
      // Argo splits files on `---` before parsing, so nothing carries over a document boundary.
      Object.assign(st, { flowDepth: 0, quote: null, blockScalarParent: null, atFlowToken: false });
      continue;
    }
    if (st.blockScalarParent !== null) {
      if (blank || indent > st.blockScalarParent) continue;
      st.blockScalarParent = null;
    }
    if (st.quote !== null || st.flowDepth > 0) {
      if (!blank && indent < st.minIndent) {
        const pad = st.minIndent - indent;
        line = ' '.repeat(pad) + line;
        lines[n] = line;
        shifts.set(n, pad);
      }
      scanLine(line, leadingSpaces(line), st, false);
    } else {
      scanLine(line, indent, st, true);
    }
  }
  return shifts.size === 0 ? undefined : { text: lines.join('\n'), shifts };
}

function leadingSpaces(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  return i;
}

function scanLine(line: string, start: number, st: ScanState, freshBlockLine: boolean): void {
  let i = start;
  let expectValue = freshBlockLine;
  let keyCol = start;
  if (freshBlockLine) {
    // `- - key:` : the parent of anything on this line is the first key after the sequence dashes.
    while (line[i] === '-' && (line[i + 1] === ' ' || i + 1 === line.length)) {
      i += 2;
      while (line[i] === ' ') i++;
    }
    keyCol = i;
    st.minIndent = keyCol + 1;
  }

  while (i < line.length) {
    const c = line[i];
    if (st.quote !== null) {
      i = scanQuoted(line, i, st);
      continue;
    }
    if (st.flowDepth > 0) {
      i = scanFlow(line, i, st);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return;
    if (!expectValue) {
      // Inside a plain scalar or after a quoted key: look for the `: ` that starts a value.
      if (c === ':' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\r')) expectValue = true;
      i++;
      continue;
    }
    if ((c === '-' || c === '?') && (i + 1 === line.length || line[i + 1] === ' ')) {
      i++;
      continue;
    }
    if (c === '&' || c === '!') {
      while (i < line.length && line[i] !== ' ') i++;
      continue;
    }
    if (c === '[' || c === '{') {
      st.flowDepth = 1;
      st.atFlowToken = true;
      expectValue = false;
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      st.quote = c;
      i++;
      expectValue = false;
      continue;
    }
    if ((c === '|' || c === '>') && BLOCK_SCALAR_HEADER.test(line.slice(i).trimEnd())) {
      st.blockScalarParent = keyCol;
      return;
    }
    expectValue = false;
  }
}

function scanQuoted(line: string, i: number, st: ScanState): number {
  while (i < line.length) {
    const c = line[i];
    if (st.quote === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === st.quote) {
      if (st.quote === "'" && line[i + 1] === "'") {
        i += 2;
        continue;
      }
      st.quote = null;
      st.atFlowToken = false;
      return i + 1;
    }
    i++;
  }
  return i;
}

function scanFlow(line: string, i: number, st: ScanState): number {
  while (i < line.length && st.flowDepth > 0) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' && (line[i - 1] === ' ' || line[i - 1] === '\t' || i === 0)) return line.length;
    if ((c === '"' || c === "'") && st.atFlowToken) {
      st.quote = c;
      return i + 1;
    }
    if (c === '[' || c === '{') {
      st.flowDepth++;
      st.atFlowToken = true;
    } else if (c === ']' || c === '}') {
      st.flowDepth--;
      st.atFlowToken = false;
    } else {
      st.atFlowToken = c === ',' || c === ':' || c === '?';
    }
    i++;
  }
  return i;
}
