/**
 * Runs a task over a list with at most `limit` running at once. Blob transfers are many small requests: one at a
 * time wastes the round trip, all at once opens a connection per body and holds every sealed body in memory.
 *
 * The first task that throws stops new ones from starting; those already running are let finish (what they did
 * is kept, on the worker), then the error is thrown. A caller that wants to go on past one item's failure catches
 * it inside the task.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError('A concurrency limit is a positive integer.')
  let next = 0
  let failure: { readonly error: unknown } | undefined
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T
      try {
        await task(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure !== undefined) throw failure.error
}
