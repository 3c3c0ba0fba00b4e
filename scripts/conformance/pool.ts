// Runs tasks with at most `limit` at a time, reporting each as it completes (not in input order),
// so the report shows progress while slow files are still running.

export async function runPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>, onDone: (result: R) => void): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      const result = await task(item);
      results.push(result);
      onDone(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
