import type { Arguments, Inputs, Parameter, Template } from '../spec/types.js';
import { NodeError } from './context.js';
import { knownTagFree, substituteDeep, substituteOrFail, type Vars } from './vars.js';

export interface ProcessedTemplate {
  template: Template;
  /** The template's variables: inputs.*, outputs.*.path, plus the locals and globals it was processed with. */
  vars: Vars;
}

/**
 * Argo's ProcessArgs: bind arguments to inputs (an argument overrides value, valueFrom and default),
 * then substitute inputs, globals and locals through the whole template. Tags that belong to a
 * later stage (steps.*, tasks.*, item) stay verbatim until their step or task resolves them.
 */
export function processTemplate(template: Template, args: Arguments, globals: Vars, locals: Vars): ProcessedTemplate {
  const { inputs: declared, ...fields } = template;
  // A template with no inputs and no tag left (every running pod's, on every reconcile) comes out
  // as it is: its variables are built only if asked for (a pod never asks; steps and DAGs do).
  if (!declared && knownTagFree(fields)) {
    let vars: Vars | undefined;
    return {
      template: { ...fields, inputs: {} } as Template,
      get vars(): Vars {
        vars ??= templateVars(template, {}, { ...globals, ...locals });
        return vars;
      },
    };
  }
  const vars: Vars = { ...globals, ...locals };
  // Arguments are bound against the globals and locals only (inputs.* are added after).
  const inputs = bindInputs(template, args, vars);
  templateVars(template, inputs, vars);
  const substituted = substituteDeep(fields, vars) as Omit<Template, 'inputs'>;
  return { template: { ...substituted, inputs } as Template, vars };
}

/** Adds inputs.* and outputs.*.path to `vars`. */
function templateVars(template: Template, inputs: Inputs, vars: Vars): Vars {
  for (const p of inputs.parameters ?? []) vars[`inputs.parameters.${p.name}`] = p.value ?? '';
  if (inputs.parameters) vars['inputs.parameters'] = JSON.stringify(inputs.parameters);
  for (const a of inputs.artifacts ?? []) if (a.path) vars[`inputs.artifacts.${a.name}.path`] = a.path;
  for (const p of template.outputs?.parameters ?? []) if (p.valueFrom?.path) vars[`outputs.parameters.${p.name}.path`] = p.valueFrom.path;
  for (const a of template.outputs?.artifacts ?? []) if (a.path) vars[`outputs.artifacts.${a.name}.path`] = a.path;
  return vars;
}

function bindInputs(template: Template, args: Arguments, vars: Vars): Inputs {
  const declared = template.inputs;
  if (!declared) return {};
  const parameters: Parameter[] = [];
  for (const p of declared.parameters ?? []) {
    const arg = args.parameters?.find((a) => a.name === p.name);
    let value = arg?.value ?? arg?.valueFrom?.default;
    if (value === undefined) value = p.value ?? p.valueFrom?.default ?? p.default;
    if (value === undefined) throw new NodeError(`inputs.parameters.${p.name} was not supplied`);
    value = substituteOrFail(value, vars);
    if (p.enum && p.enum.length > 0 && !p.enum.includes(value)) {
      throw new NodeError(`inputs.parameters.${p.name}: value '${value}' is not one of the enum values [${p.enum.join(', ')}]`);
    }
    const bound: Parameter = { name: p.name, value };
    if (p.enum) bound.enum = p.enum;
    if (p.description) bound.description = p.description;
    parameters.push(bound);
  }
  const artifacts = (declared.artifacts ?? []).map((a) => {
    const arg = args.artifacts?.find((x) => x.name === a.name);
    return arg ? { ...a, ...arg, path: a.path } : a;
  });
  const inputs: Inputs = {};
  if (declared.parameters) inputs.parameters = parameters;
  if (declared.artifacts) inputs.artifacts = artifacts;
  return inputs;
}
