/**
 * When this page's LiveStore leader worker has ended. The page must not load again while its leader still writes
 * the store's OPFS files: a reload ends the worker wherever it is, and a write cut between LiveStore's two databases
 * left the copy torn or unreadable (repair-store-in-opfs.ts then had to mend it, or failed to open it because the
 * old worker still held its files). `store.shutdownPromise()` resolves before the worker has closed them.
 *
 * So the worker holds a Web Lock named after itself for as long as it lives (the browser releases a worker's locks
 * when it ends), and the page, having shut its store down, waits to be granted that lock before it loads again.
 */

const lockName = (workerName: string) => `chronicle:leader-alive:${workerName}`

/** Worker side: takes the lock and keeps it until the worker ends; resolves once it is held. */
export function holdWhileAlive(workerName: string): Promise<void> {
  return new Promise((held) => {
    void navigator.locks.request(lockName(workerName), () => {
      held()
      return new Promise<never>(() => {}) // released by the worker's end only
    })
  })
}

/** The leader workers this page started (one, unless LiveStore elected this tab leader more than once). */
const started: string[] = []

/** Page side: notes a leader worker it starts, by the name it gave it. */
export function noteLeaderStarted(workerName: string): void {
  started.push(workerName)
}

/**
 * Resolves once every leader worker this page started has ended, or after `limitMs` with the names of those that
 * had not: a worker that is stuck must not keep the page from ever loading again.
 */
export async function leadersEnded(limitMs: number): Promise<readonly string[]> {
  const signal = AbortSignal.timeout(limitMs)
  const waits = started.map((name) =>
    navigator.locks
      .request(lockName(name), { signal }, () => null)
      .then(
        () => null,
        () => name,
      ),
  )
  return (await Promise.all(waits)).filter((name) => name !== null)
}
