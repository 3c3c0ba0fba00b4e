import { evaluateExpr, evaluateWhen, expandVars, stringifyValue, substitute, UnresolvedTagError } from '../expr/index.js';
import type { Arguments, Invocation, NodeOutputs, NodePhase, NodeStatus, Parameter, Template } from '../spec/types.js';
import { NodeError, type Operation, type TemplateScope } from './context.js';
import { resolveTemplate } from './templates.js';
import { STRICT_IN_ARGS, substituteDeep, type Vars } from './vars.js';

export type WhenVerdict = true | { phase: 'Skipped' | 'Error'; message: string };

/** `when`: tags substituted first, then govaluate (Argo's shouldExecute). */
export function whenAllows(step: Invocation, vars: Vars): WhenVerdict {
  if (step.when === undefined || step.when === '') return true;
  let text: string;
  try {
    text = substitute(step.when, vars, { strict: STRICT_IN_ARGS });
  } catch (err) {
    const tag = err instanceof UnresolvedTagError ? err.tag : undefined;
    return { phase: 'Error', message: tag ? `failed to resolve {{${tag}}} in when '${step.when}'` : errorText(err) };
  }
  try {
    return evaluateWhen(text) ? true : { phase: 'Skipped', message: `when '${text}' evaluated false` };
  } catch (err) {
    return { phase: 'Error', message: errorText(err) };
  }
}

/**
 * A step's or task's arguments with its scope substituted. An argument that refers to the output of a
 * producer that never ran (Skipped/Omitted) is dropped, so the consumer's input default applies
 * (Argo v4.0.7 "absent optional"); with no default the input binding reports it.
 */
export function invocationArgs(step: Invocation, vars: Vars): Arguments {
  const args: Arguments = {};
  if (step.arguments?.parameters) {
    const parameters: Parameter[] = [];
    for (const p of step.arguments.parameters) {
      if (p.value === undefined) {
        parameters.push(p);
        continue;
      }
      try {
        parameters.push({ ...p, value: substitute(p.value, vars, { strict: STRICT_IN_ARGS }) });
      } catch (err) {
        if (err instanceof UnresolvedTagError && producerAbsent(err.tag, vars)) continue;
        if (err instanceof UnresolvedTagError) throw new NodeError(`failed to resolve {{${err.tag}}}`);
        throw new NodeError(errorText(err));
      }
    }
    args.parameters = parameters;
  }
  if (step.arguments?.artifacts) args.artifacts = substituteDeep(step.arguments.artifacts, vars);
  return args;
}

function producerAbsent(tag: string, vars: Vars): boolean {
  const m = /^(steps|tasks)\.([^.]+)\.outputs\./.exec(tag.trim());
  if (!m) return false;
  const status = vars[`${m[1]}.${m[2]}.status`];
  return status === 'Skipped' || status === 'Omitted';
}

/** A node for an invocation that does not run: `when` false, `depends` not met, empty loop, or an error before it could start. */
export function skipNode(
  op: Operation,
  nodeName: string,
  boundaryId: string,
  phase: NodePhase,
  message: string,
  step: Invocation,
  scope: TemplateScope,
  displayName?: string,
): NodeStatus {
  const fields: Partial<NodeStatus> & { displayName?: string; boundaryId?: string } = { boundaryId, phase, message };
  if (displayName) fields.displayName = displayName;
  if (step.template) fields.templateName = step.template;
  const defaults = producerDefaults(op, step, scope);
  if (defaults) fields.outputs = defaults;
  return op.initNode(nodeName, 'Skipped', fields);
}

/** The outputs a skipped producer still offers: its parameters' valueFrom.default (Argo v4.0.7+). */
function producerDefaults(op: Operation, step: Invocation, scope: TemplateScope): NodeOutputs | undefined {
  let template: Template;
  try {
    template = resolveTemplate(op, step, scope).template;
  } catch {
    return undefined;
  }
  const parameters = (template.outputs?.parameters ?? [])
    .filter((p) => p.valueFrom?.default !== undefined)
    .map((p) => ({ name: p.name, value: p.valueFrom?.default ?? '' }));
  return parameters.length > 0 ? { parameters } : undefined;
}

export function continuesOn(step: Invocation, phase: NodePhase): boolean {
  if (phase === 'Failed') return step.continueOn?.failed === true;
  if (phase === 'Error') return step.continueOn?.error === true;
  return false;
}

/** Outputs of a steps or DAG template: valueFrom.parameter (a tag) or valueFrom.expression over its scope. */
export function resolveOutputs(template: Template, scope: Vars): NodeOutputs | undefined {
  const declared = template.outputs;
  if (!declared) return undefined;
  const outputs: NodeOutputs = {};
  const parameters: Parameter[] = [];
  for (const p of declared.parameters ?? []) {
    const value = outputValue(p, scope);
    const out: Parameter = { name: p.name, value };
    if (p.globalName) out.globalName = p.globalName;
    parameters.push(out);
  }
  if (parameters.length > 0) outputs.parameters = parameters;
  if (declared.result !== undefined) outputs.result = substitute(declared.result, scope);
  return outputs;
}

function outputValue(p: Parameter, scope: Vars): string {
  const from = p.valueFrom;
  if (from?.parameter !== undefined) {
    try {
      return substitute(from.parameter, scope, { strict: STRICT_IN_ARGS });
    } catch (err) {
      if (from.default !== undefined) return from.default;
      throw new NodeError(err instanceof UnresolvedTagError ? `unable to resolve outputs from scope: {{${err.tag}}}` : errorText(err));
    }
  }
  if (from?.expression !== undefined) {
    let result: unknown;
    try {
      result = evaluateExpr(from.expression, expandVars(scope));
    } catch (err) {
      if (from.default !== undefined) return from.default;
      throw new NodeError(`failed to evaluate expression '${from.expression}': ${errorText(err)}`);
    }
    if (result === null || result === undefined) {
      if (from.default !== undefined) return from.default;
      throw new NodeError(`expression '${from.expression}' evaluated to nil and has no default`);
    }
    return stringifyValue(result);
  }
  if (p.value !== undefined) return substitute(p.value, scope);
  if (from?.default !== undefined) return from.default;
  throw new NodeError(`output parameter '${p.name}' has no value`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
