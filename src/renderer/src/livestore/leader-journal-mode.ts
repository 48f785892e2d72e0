/**
 * The journal mode of the leader's two OPFS databases. LiveStore opens them with SQLite's default rollback journal,
 * DELETE: every commit makes the journal file, grows it page by page, flushes it and deletes it again, and the
 * leader commits four times for each page of events it pulls (the backend's head, the trimmed changesets, then the
 * state and the eventlog together). PERSIST keeps the journal file and zeroes its header at the commit instead:
 * a hot journal is rolled back the same way, so a killed window leaves nothing worse, and a commit no longer
 * truncates the file nor grows it again. bench sync (small; B's leader while 2,023 pulled events stream in, two
 * profiled runs each way): busy 33 s to 27 and 20.5, OPFS truncate about 0.8 s to none, write 6.1-6.7 s to 3.5-4.8.
 *
 * LiveStore 0.4 has no option for its connections' pragmas, so this reaches them through the context its leader
 * keeps on `globalThis` for debugging (the e2e tests reach the databases the same way). Whatever this finds, or
 * does not, LiveStore works as before: the mode only changes the cost of a commit.
 *
 * A kept journal outlives its database: LiveStore deletes the state database of an earlier schema when it boots
 * (its cleanupOldStateDbFiles) but not that database's journal, which would hold one of the OPFS pool's 20 files
 * for good. The leader's check before LiveStore opens the store deletes those (staleStateJournals).
 */

/** One of the leader's SQLite databases, as LiveStore's WebAssembly SQLite hands it out. */
export type LeaderDatabase = { select<T>(query: string): readonly T[]; execute(query: string): void }
type LeaderContext = { dbState?: LeaderDatabase; dbEventlog?: LeaderDatabase }

const LEADER_JOURNAL_MODE = 'persist'

/**
 * How often to look for the leader's context: often while the store boots (a large one takes seconds), then
 * seldom, for a worker that becomes the leader later (a duplicated tab's, once the first tab closes).
 */
const LOOK_OFTEN_MS = 25
const LOOK_OFTEN_FOR_MS = 120_000
const LOOK_SELDOM_MS = 1_000

/** Looks for the leader's databases until both are in PERSIST mode; warns once if the leader's do not take it. */
export function persistLeaderJournals(): void {
  const started = performance.now()
  let warned = false
  const look = () => {
    const context = (globalThis as { __leaderThreadCtx?: LeaderContext }).__leaderThreadCtx
    const databases = [context?.dbState, context?.dbEventlog]
    if (databases.every((db) => db !== undefined && journalModeSet(db))) return
    const often = performance.now() - started < LOOK_OFTEN_FOR_MS
    if (context && !often && !warned) {
      warned = true
      console.warn(
        `Chronicle: the store's databases did not take journal_mode ${LEADER_JOURNAL_MODE}; each write costs a little more.`,
      )
    }
    setTimeout(look, often ? LOOK_OFTEN_MS : LOOK_SELDOM_MS)
  }
  look()
}

/**
 * Sets PERSIST on one database; true once it holds. SQLite answers with the mode the database is in after the
 * pragma, so an answer that is not PERSIST (or an error) means try again later.
 */
function journalModeSet(db: LeaderDatabase): boolean {
  try {
    const [row] = db.select<{ journal_mode?: unknown }>(`PRAGMA journal_mode=${LEADER_JOURNAL_MODE}`)
    return row?.journal_mode === LEADER_JOURNAL_MODE
  } catch {
    return false
  }
}

/**
 * The journals, among the pool's paths, of state databases other than `stateFileName` (this schema's): kept by
 * PERSIST after LiveStore deleted their databases. Paths are as the pool lists them, from its root.
 */
export const staleStateJournals = (paths: readonly string[], stateFileName: string): string[] =>
  paths.filter((path) => /^\/state[^/]*\.db-journal$/.test(path) && path !== `/${stateFileName}-journal`)
