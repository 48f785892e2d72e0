/**
 * The journal mode of the leader's two OPFS databases. LiveStore opens them with SQLite's default rollback journal,
 * DELETE: every commit makes the journal file, grows it page by page, flushes it and deletes it again, and the
 * leader commits four times for each page of events it pulls (the backend's head, the trimmed changesets, then the
 * state and the eventlog together). PERSIST keeps the journal file and zeroes its header at the commit instead:
 * a hot journal is rolled back the same way, so a killed window leaves nothing worse, and a commit no longer
 * truncates the file nor grows it again. Measured with the sync bench's profile of the leader while 2,023 pulled
 * events streamed in: OPFS truncate 0.9 s to none, write 6.1 s to 4.8, flush 3.1 s to 2.2 (one run each).
 *
 * LiveStore 0.4 has no option for its connections' pragmas, so this reaches them through the context its leader
 * keeps on `globalThis` for debugging (the e2e tests reach the databases the same way). Whatever this finds, or
 * does not, LiveStore works as before: the mode only changes the cost of a commit.
 */

type LeaderDatabase = { select<T>(query: string): readonly T[] }
type LeaderContext = { dbState?: LeaderDatabase; dbEventlog?: LeaderDatabase }

export const LEADER_JOURNAL_MODE = 'persist'

/** How often to look for the leader's context, and until when: a large store's boot takes seconds. */
const LOOK_EVERY_MS = 10
const LOOK_FOR_MS = 120_000

/** Looks for the leader's databases until both are in PERSIST mode; warns once if they never are. */
export function persistLeaderJournals(): void {
  const started = performance.now()
  const look = () => {
    const context = (globalThis as { __leaderThreadCtx?: LeaderContext }).__leaderThreadCtx
    const databases = [context?.dbState, context?.dbEventlog]
    if (databases.every((db) => db !== undefined && journalModeSet(db))) return
    if (performance.now() - started < LOOK_FOR_MS) return void setTimeout(look, LOOK_EVERY_MS)
    console.warn(
      `Chronicle: the store's databases keep their ${context ? 'journal mode' : 'journal mode (no leader found)'}` +
        ', which only makes each write slower.',
    )
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
