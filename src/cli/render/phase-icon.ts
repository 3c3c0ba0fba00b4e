// The phase marks of `argo get`. With utf8 off Argo prints the phase as a word (its `--no-utf8`),
// which survives terminals and log files that mangle symbols.

import pc from 'picocolors';
import type { NodePhase } from '../../spec/types.js';

type Paint = (text: string) => string;
type Colors = ReturnType<typeof pc.createColors>;

// Colour is decided by the caller's flag alone, never by picocolors' own TTY/NO_COLOR sniffing.
const COLORS = pc.createColors(true);

// Argo's colours: Pending yellow, Running cyan, Succeeded green, Failed and Error red, the rest
// in the terminal's default colour.
const ICONS: Record<NodePhase, { utf8: string; paint: (colors: Colors) => Paint }> = {
  Pending: { utf8: '◷', paint: (c) => c.yellow },
  Running: { utf8: '●', paint: (c) => c.cyan },
  Succeeded: { utf8: '✔', paint: (c) => c.green },
  Skipped: { utf8: '○', paint: () => plain },
  Omitted: { utf8: '○', paint: () => plain },
  Failed: { utf8: '✖', paint: (c) => c.red },
  Error: { utf8: '⚠', paint: (c) => c.red },
};

const plain: Paint = (text) => text;

export function phaseIcon(phase: NodePhase, color: boolean, utf8 = true): string {
  const icon = ICONS[phase] ?? { utf8: '?', paint: () => plain };
  const text = utf8 ? icon.utf8 : phase;
  return color ? icon.paint(COLORS)(text) : text;
}

/** A suspend node that waits for `argo resume` gets its own mark instead of the Running dot. */
export function suspendIcon(color: boolean, utf8 = true): string {
  const text = utf8 ? 'ǁ' : 'Suspend';
  return color ? COLORS.cyan(text) : text;
}
