// Argo's expression layer: expr-lang for {{= }} and raw expression fields, govaluate for `when`,
// and the {{tag}} substitution that feeds both.

export { evaluateExpr } from './expr.js';
export { evaluateWhen } from './govaluate.js';
export { ExprError, UnresolvedTagError } from './errors.js';
export { expandVars } from './expand.js';
export { substitute, findTags, type SubstituteOptions } from './template.js';
export { formatValue as stringifyValue } from './format.js';
