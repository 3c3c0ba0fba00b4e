// Runs tasks with at most `limit` at a time, reporting each as it completes (not in input order),
// so the report shows progress while slow files are still running.

// `task` is told which worker runs it (0..limit-1), so each worker can own a resource (a server).
export async function runPool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, worker: number) => Promise<R>,
  onDone: (result: R) => void,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (index: number): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      const result = await task(item, index);
      results.push(result);
      onDone(result);
    }
  };
  await Promise.all(Array.from({ length: poolSize(limit, items.length) }, (_, index) => worker(index)));
  return results;
}

/** How many workers runPool starts for `count` items. */
export function poolSize(limit: number, count: number): number {
  return Math.max(1, Math.min(limit, count));
}
