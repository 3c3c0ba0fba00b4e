import type { ConfigMap } from '../spec/types.js';
import type { LimitSource, LockRef } from './types.js';

/**
 * A semaphore limit as Argo reads it (Go's strconv.Atoi: an optional sign and digits, nothing
 * else), except that a negative value is refused with a reason instead of silently admitting no one.
 */
export function parseLimit(raw: string): { limit: number } | { error: string } {
  if (!/^[+-]?\d+$/.test(raw)) return { error: `value ${JSON.stringify(raw)} is not an integer (expected digits only, e.g. "3")` };
  const limit = Number(raw);
  if (limit < 0) return { error: `value ${raw} is negative (expected 0 or more)` };
  if (!Number.isSafeInteger(limit)) return { error: `value ${raw} is too large` };
  return { limit };
}

/** The limit of a ConfigMap semaphore, from the ConfigMaps at hand (`ns/name` → ConfigMap). */
export function configMapLimit(ref: LockRef, configMaps: ReadonlyMap<string, ConfigMap>): { limit: number } | { error: string } {
  const cm = configMaps.get(`${ref.namespace}/${ref.name}`);
  if (!cm) return { error: `ConfigMap ${ref.namespace}/${ref.name} not found (create it with data ${JSON.stringify({ [ref.key ?? 'key']: '1' })})` };
  const raw = cm.data?.[ref.key ?? ''];
  if (raw === undefined) return { error: `Sync configuration key '${ref.key ?? ''}' not found in ConfigMap ${ref.namespace}/${ref.name}` };
  const parsed = parseLimit(raw);
  return 'error' in parsed ? { error: `ConfigMap ${ref.namespace}/${ref.name} key '${ref.key ?? ''}': ${parsed.error}` } : parsed;
}

/** Mutexes hold one; ConfigMap semaphores read `configMaps`; database locks need a database this source lacks. */
export function limitSource(configMaps: ReadonlyMap<string, ConfigMap>): LimitSource {
  return (ref) => {
    if (ref.storage === 'database') return { error: `database session is not available for ${ref.kind} ${ref.id}: this controller has no synchronization database configured` };
    if (ref.kind === 'mutex') return { limit: 1 };
    return configMapLimit(ref, configMaps);
  };
}
