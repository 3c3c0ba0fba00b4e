// WorkflowService's unary calls on Argo's paths (swagger.json, WorkflowService_*), plus argot's
// pod deletion. The service does the work; this layer only reads requests the way grpc-gateway
// does (path wins over body, flat query parameters) and shapes the answers.
import type { FastifyInstance } from 'fastify';
import type { NodeSetOptions, SubmitOptions, WorkflowService } from '../../controller/service.js';
import type { Workflow } from '../../spec/types.js';
import type { ListOptions } from '../../store/types.js';
import { NotFoundError } from '../../store/types.js';
import type { RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { applyFields, keepsPath, parseFields } from '../fields.js';
import { listBody, listFiltered } from '../list.js';
import { lintManifestRoutes } from './lint-manifest.js';
import {
  listOptionsFrom,
  objectBody,
  optionalBool,
  optionalObject,
  optionalString,
  optionalStrings,
  parseKeyValues,
  placeInNamespace,
  queryBool,
  queryInt,
  queryString,
  requiredString,
  resourceField,
  withTypeMeta,
  type Query,
} from '../request.js';

interface NsParams {
  namespace?: string;
}
interface WfParams {
  namespace: string;
  name: string;
}

const BASE = '/api/v1/workflows';

export function workflowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const workflows = ctx.deps.workflows;
  // The UI's editor lints text with positions; it lives beside the workflow routes it serves.
  lintManifestRoutes(app);

  const list = async (namespace: string, query: Query): Promise<unknown> => {
    const { opts, keep } = workflowListQuery(query, namespace);
    const result = keep ? await listFiltered((o) => workflows.list(o), opts, keep) : await workflows.list(opts);
    const fields = parseFields(queryString(query, 'fields'));
    // Lists carry no status.nodes (as in Argo) unless `fields` names them.
    if (fields && !fields.exclude && keepsPath(fields, 'items.status.nodes')) result.items = await withNodes(workflows, result.items);
    return applyFields(listBody(result), fields);
  };
  app.get<{ Querystring: Query }>(`${BASE}/`, (req) => list('', req.query));
  app.get<{ Params: NsParams; Querystring: Query }>(`${BASE}/:namespace`, (req) => list(req.params.namespace ?? '', req.query));

  app.post<{ Params: NsParams }>(`${BASE}/:namespace`, async (req) => {
    const body = objectBody(req.body, 'a WorkflowCreateRequest {"workflow": {...}, "serverDryRun": false}');
    const wf = withTypeMeta(placeInNamespace(resourceField<Workflow>(body, 'workflow', 'a Workflow'), req.params.namespace ?? ''), 'Workflow');
    const createOptions = optionalObject(body, 'createOptions');
    const dryRun = optionalBool(body, 'serverDryRun') === true || (Array.isArray(createOptions['dryRun']) && createOptions['dryRun'].length > 0);
    return workflows.create(wf, dryRun ? { dryRun: true } : {});
  });

  app.post<{ Params: NsParams }>(`${BASE}/:namespace/submit`, async (req) => {
    const what = 'a WorkflowSubmitRequest {"resourceKind": "WorkflowTemplate", "resourceName": "...", "submitOptions": {...}}';
    const body = objectBody(req.body, what);
    const kind = requiredString(body, 'resourceKind', what);
    const name = requiredString(body, 'resourceName', what);
    return workflows.submitFrom(req.params.namespace ?? '', submitKind(kind), name, submitOptions(optionalObject(body, 'submitOptions')));
  });

  app.post<{ Params: NsParams }>(`${BASE}/:namespace/lint`, async (req) => {
    const body = objectBody(req.body, 'a WorkflowLintRequest {"workflow": {...}}');
    return workflows.lint(withTypeMeta(placeInNamespace(resourceField<Workflow>(body, 'workflow', 'a Workflow'), req.params.namespace ?? ''), 'Workflow'));
  });

  app.get<{ Params: WfParams; Querystring: Query }>(`${BASE}/:namespace/:name`, async (req) => {
    const { namespace, name } = req.params;
    const wf = name === LATEST ? await latest(workflows, namespace) : await workflows.get(namespace, name);
    const uid = queryString(req.query, 'uid');
    if (uid && wf.metadata.uid !== uid) throw new NotFoundError('Workflow', `${namespace}/${name} with uid ${uid}`);
    return applyFields(wf, parseFields(queryString(req.query, 'fields')));
  });

  app.delete<{ Params: WfParams; Querystring: Query }>(`${BASE}/:namespace/:name`, async (req) => {
    const { namespace } = req.params;
    const name = await resolveName(workflows, namespace, req.params.name);
    const force = queryBool(req.query, 'force');
    await workflows.delete(namespace, name, force ? { force } : {});
    return {};
  });

  /** The PUT operations all take `{namespace, name, ...}`; an empty body is an empty request. */
  const operation = (verb: string, run: (namespace: string, name: string, body: Record<string, unknown>) => Promise<Workflow>): void => {
    app.put<{ Params: WfParams }>(`${BASE}/:namespace/:name/${verb}`, async (req) => {
      const body = objectBody(req.body, `a ${verb} request`, true);
      const { namespace } = req.params;
      return run(namespace, await resolveName(workflows, namespace, req.params.name), body);
    });
  };

  operation('retry', (ns, name, body) => {
    const restartSuccessful = optionalBool(body, 'restartSuccessful');
    const nodeFieldSelector = optionalString(body, 'nodeFieldSelector');
    const parameters = optionalStrings(body, 'parameters');
    return workflows.retry(ns, name, {
      ...(restartSuccessful !== undefined ? { restartSuccessful } : {}),
      ...(nodeFieldSelector ? { nodeFieldSelector } : {}),
      ...(parameters ? { parameters } : {}),
    });
  });
  operation('resubmit', (ns, name, body) => {
    const memoized = optionalBool(body, 'memoized');
    const parameters = optionalStrings(body, 'parameters');
    return workflows.resubmit(ns, name, { ...(memoized !== undefined ? { memoized } : {}), ...(parameters ? { parameters } : {}) });
  });
  operation('suspend', (ns, name) => workflows.suspend(ns, name));
  operation('resume', (ns, name, body) => {
    const nodeFieldSelector = optionalString(body, 'nodeFieldSelector');
    return workflows.resume(ns, name, nodeFieldSelector ? { nodeFieldSelector } : {});
  });
  operation('stop', (ns, name, body) => {
    const nodeFieldSelector = optionalString(body, 'nodeFieldSelector');
    const message = optionalString(body, 'message');
    return workflows.stop(ns, name, { ...(nodeFieldSelector ? { nodeFieldSelector } : {}), ...(message ? { message } : {}) });
  });
  operation('terminate', (ns, name) => workflows.terminate(ns, name));
  operation('set', (ns, name, body) => workflows.setNode(ns, name, setOptions(body)));

  // argot's own (Argo has no such path; there it is `kubectl delete pod`): simulate losing a pod.
  app.delete<{ Params: WfParams & { pod: string }; Querystring: Query }>(`${BASE}/:namespace/:name/pods/:pod`, async (req) => {
    const { namespace, pod } = req.params;
    const name = await resolveName(workflows, namespace, req.params.name);
    const graceSeconds = queryInt(req.query, 'gracePeriodSeconds') ?? queryInt(req.query, 'deleteOptions.gracePeriodSeconds');
    if (graceSeconds !== undefined && graceSeconds < 0) throw badRequest(`gracePeriodSeconds=${graceSeconds}: expected 0 or more`);
    await workflows.deletePod(namespace, name, pod, graceSeconds !== undefined ? { graceSeconds } : {});
    return {};
  });
}

/** Argo's alias for the newest workflow of a namespace (`argo get @latest`). */
export const LATEST = '@latest';

export async function latest(workflows: WorkflowService, namespace: string): Promise<Workflow> {
  // The list order is newest first.
  const page = await workflows.list({ ...(namespace ? { namespace } : {}), limit: 1 });
  const newest = page.items[0];
  if (!newest) throw new NotFoundError('Workflow', `${namespace}/${LATEST} (there are no workflows)`);
  return workflows.get(newest.metadata.namespace ?? namespace, newest.metadata.name ?? '');
}

/** Listed workflows with their nodes (a list leaves them out); those deleted meanwhile are dropped. */
export async function withNodes(workflows: WorkflowService, items: readonly Workflow[]): Promise<Workflow[]> {
  const full = await Promise.all(
    items.map((wf) =>
      workflows.get(wf.metadata.namespace ?? '', wf.metadata.name ?? '').catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }),
    ),
  );
  return full.filter((wf): wf is Workflow => wf !== undefined);
}

export async function resolveName(workflows: WorkflowService, namespace: string, name: string): Promise<string> {
  return name === LATEST ? ((await latest(workflows, namespace)).metadata.name ?? '') : name;
}

/**
 * Argo's list filters on top of the store's: `nameFilter` says how a `metadata.name=` term of the
 * field selector matches (Exact, the store's; Prefix; Contains), and createdAfter/finishedBefore
 * bound times. Prefix goes to the store; the rest become `keep`.
 */
export function workflowListQuery(query: Query, namespace: string): { opts: ListOptions; keep?: (wf: Workflow) => boolean } {
  const opts = listOptionsFrom(query, namespace);
  const nameFilter = queryString(query, 'nameFilter') || 'Exact';
  if (nameFilter !== 'Exact' && nameFilter !== 'Prefix' && nameFilter !== 'Contains') throw badRequest(`nameFilter=${nameFilter}: expected Exact, Prefix or Contains`);
  const checks: ((wf: Workflow) => boolean)[] = [];
  const namePrefix = queryString(query, 'namePrefix');
  if (namePrefix) opts.namePrefix = namePrefix;
  if (nameFilter !== 'Exact' && opts.fieldSelector) {
    const { name, rest } = takeNameTerm(opts.fieldSelector);
    if (rest) opts.fieldSelector = rest;
    else delete opts.fieldSelector;
    if (name !== undefined && nameFilter === 'Prefix') opts.namePrefix = name;
    if (name !== undefined && nameFilter === 'Contains') checks.push((wf) => (wf.metadata.name ?? '').includes(name));
  }
  const createdAfter = timeParam(query, 'createdAfter');
  if (createdAfter !== undefined) checks.push((wf) => Date.parse(wf.metadata.creationTimestamp ?? '') > createdAfter);
  const finishedBefore = timeParam(query, 'finishedBefore');
  if (finishedBefore !== undefined) {
    checks.push((wf) => {
      const finished = Date.parse(wf.status?.finishedAt ?? '');
      return !Number.isNaN(finished) && finished < finishedBefore;
    });
  }
  return checks.length === 0 ? { opts } : { opts, keep: (wf) => checks.every((c) => c(wf)) };
}

function takeNameTerm(selector: string): { name?: string; rest: string } {
  let name: string | undefined;
  const rest: string[] = [];
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m) name = m[1] ?? '';
    else if (term.trim() !== '') rest.push(term);
  }
  return { ...(name !== undefined ? { name } : {}), rest: rest.join(',') };
}

function timeParam(query: Query, name: string): number | undefined {
  const value = queryString(query, name);
  if (!value) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${name}=${value}: expected an RFC 3339 time such as 2024-01-02T15:04:05Z`);
  return ms;
}

/** `resourceKind` may be a Kind, its plural, or a short name (`wftmpl`, `cwftmpl`, `cronwf`). */
function submitKind(kind: string): string {
  const k = kind.toLowerCase();
  return /(templates|workflows)$/.test(k) ? k.slice(0, -1) : k;
}

function submitOptions(so: Record<string, unknown>): SubmitOptions {
  const out: SubmitOptions = {};
  const entrypoint = optionalString(so, 'entryPoint');
  if (entrypoint) out.entrypoint = entrypoint;
  const parameters = optionalStrings(so, 'parameters');
  if (parameters) out.parameters = parameters;
  const labels = parseKeyValues(optionalString(so, 'labels'), 'submitOptions.labels');
  if (labels) out.labels = labels;
  for (const field of ['generateName', 'name', 'serviceAccount'] as const) {
    const value = optionalString(so, field);
    if (value) out[field] = value;
  }
  // Both mean "do not create": the server returns what it would have submitted.
  if (optionalBool(so, 'dryRun') || optionalBool(so, 'serverDryRun')) out.dryRun = true;
  return out;
}

function setOptions(body: Record<string, unknown>): NodeSetOptions {
  const nodeFieldSelector = requiredString(body, 'nodeFieldSelector', 'a WorkflowSetRequest {"nodeFieldSelector": "displayName=approve", "phase": "Succeeded"}');
  const out: NodeSetOptions = { nodeFieldSelector };
  const phase = optionalString(body, 'phase');
  if (phase !== undefined) {
    if (phase !== 'Succeeded' && phase !== 'Failed') throw badRequest(`"phase": ${phase}: expected Succeeded or Failed`);
    out.phase = phase;
  }
  const message = optionalString(body, 'message');
  if (message !== undefined) out.message = message;
  const outputParameters = optionalString(body, 'outputParameters');
  if (outputParameters !== undefined) out.outputParameters = parseOutputParameters(outputParameters);
  return out;
}

/** Argo sends them as a JSON string: `"{\"name\":\"value\"}"`. */
function parseOutputParameters(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(`"outputParameters" must be a JSON object in a string, such as "{\\"name\\":\\"value\\"}"; got ${text}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(`"outputParameters" must be a JSON object of name: value; got ${text}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
