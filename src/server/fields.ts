// Argo's `fields=` query parameter (util/fields): a comma list of dotted JSON paths to keep, or,
// when the list starts with `-`, to drop. Arrays are transparent: `items.metadata.name` applies to
// every item. Argo matches paths by string prefix, so `metadata.name` also keeps
// `metadata.namespace`; argot matches whole segments, which keeps exactly what was asked for and
// every parent on the way to it.

export interface FieldFilter {
  exclude: boolean;
  paths: ReadonlySet<string>;
}

/** Undefined when there is nothing to filter. */
export function parseFields(fields: string | undefined): FieldFilter | undefined {
  if (fields === undefined || fields.trim() === '') return undefined;
  const exclude = fields.startsWith('-');
  const list = (exclude ? fields.slice(1) : fields)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return list.length === 0 ? undefined : { exclude, paths: new Set(list) };
}

/** A filtered deep copy of a JSON value; `value` itself is left alone. */
export function applyFields<T>(value: T, filter: FieldFilter | undefined): T {
  if (!filter) return value;
  return clean(value, '', filter) as T;
}

function clean(value: unknown, path: string, filter: FieldFilter): unknown {
  if (Array.isArray(value)) return value.map((item) => clean(item, path, filter));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (filter.exclude) {
      if (!filter.paths.has(childPath)) out[key] = clean(child, childPath, filter);
    } else if (filter.paths.has(childPath) || [...filter.paths].some((p) => isWithin(childPath, p))) {
      // Asked for exactly, or inside something asked for: all of it.
      out[key] = structuredClone(child);
    } else if ([...filter.paths].some((p) => isWithin(p, childPath))) {
      // On the way to something asked for: only the parts that lead there.
      out[key] = clean(child, childPath, filter);
    }
  }
  return out;
}

/** `a.b.c` is within `a.b`. */
function isWithin(path: string, ancestor: string): boolean {
  return path.startsWith(`${ancestor}.`);
}

/** Whether the filtered value can hold anything at `path` (no filter keeps everything). */
export function keepsPath(filter: FieldFilter | undefined, path: string): boolean {
  if (!filter) return true;
  const paths = [...filter.paths];
  if (filter.exclude) return !paths.some((p) => p === path || isWithin(path, p));
  return paths.some((p) => p === path || isWithin(path, p) || isWithin(p, path));
}
