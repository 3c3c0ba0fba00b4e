import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reindentFlowContinuations } from './lenient-indent.js';

const lines = (...l: string[]) => l.join('\n');

describe('reindentFlowContinuations', () => {
  it('pads the under-indented lines of a multi-line quoted scalar inside a flow list', () => {
    const src = lines('c:', '  args: ["', '    echo hi', '  "]', '  image: x');
    const out = reindentFlowContinuations(src);
    expect(out?.text).toBe(lines('c:', '  args: ["', '    echo hi', '   "]', '  image: x'));
    expect([...(out?.shifts ?? [])]).toEqual([[3, 1]]);
  });

  it('handles single quotes with doubled quotes, and sequence items', () => {
    const src = lines('- args: [\'', "    it''s", "  ']");
    const out = reindentFlowContinuations(src);
    expect(out?.text).toBe(lines('- args: [\'', "    it''s", "   ']"));
    expect(parse(out?.text ?? '')).toEqual([{ args: [" it's "] }]);
  });

  it('leaves correctly indented text, block scalars and brackets inside plain scalars alone', () => {
    expect(reindentFlowContinuations(lines('a: [1,', '   2]', 'b: c'))).toBeUndefined();
    expect(reindentFlowContinuations(lines('a: |', '  echo ["', 'b: x'))).toBeUndefined();
    expect(reindentFlowContinuations(lines('a: echo [x', 'b: "y"'))).toBeUndefined();
    expect(reindentFlowContinuations(lines('a: x # ["', 'b: y'))).toBeUndefined();
  });

  it('does not carry an unclosed quote over a document boundary', () => {
    expect(reindentFlowContinuations(lines('a: ["', '---', 'b: 1'))).toBeUndefined();
  });
});
