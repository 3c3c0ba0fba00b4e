// The functions Argo adds to every expression env (util/expr/env): asInt/asFloat (aliases of
// expr's int/float), toJson (compact, unlike expr's indented toJSON), jsonpath and `sprig`.

import { toFloat, toInt } from './builtins.js';
import { EvalError } from './errors.js';
import { goJSON } from './format.js';
import { jsonpath } from './jsonpath.js';
import { sprigCore } from './sprig-core.js';
import { sprigExtra } from './sprig-extra.js';
import { native, type Fn, type ValueMap } from './values.js';

function unary(name: string, fn: (v: unknown) => unknown): Fn {
  return native((...args: unknown[]) => {
    if (args.length !== 1) throw new EvalError(`${name}: expected 1 argument, got ${args.length}`);
    return fn(args[0]);
  });
}

function buildSprig(): ValueMap {
  const out: ValueMap = Object.create(null) as ValueMap;
  for (const [name, fn] of Object.entries({ ...sprigCore, ...sprigExtra })) out[name] = native(fn);
  return out;
}

const SPRIG = buildSprig();

const EXTRAS: ValueMap = {
  asInt: unary('asInt', toInt),
  asFloat: unary('asFloat', toFloat),
  toJson: unary('toJson', (v) => {
    try {
      return goJSON(v);
    } catch (e) {
      throw new EvalError((e as Error).message);
    }
  }),
  jsonpath: native((...args: unknown[]) => {
    if (args.length !== 2) throw new EvalError(`jsonpath: expected 2 arguments, got ${args.length}`);
    return jsonpath(args[0], args[1]);
  }),
  sprig: SPRIG,
};

/** `env` with Argo's functions added; they win over same-named variables, as in Argo. */
export function withArgoFunctions(env: ValueMap): ValueMap {
  return { ...env, ...EXTRAS };
}
