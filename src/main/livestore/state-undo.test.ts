/**
 * Undoing a state database's events (shared/livestore/state-undo.ts) in LiveStore's own SQLite build, with
 * changesets recorded the way LiveStore's leader records them: one session per event, its changeset kept in
 * `__livestore_session_changeset` under the event's sequence number.
 */
import { loadSqlite3Wasm } from '@livestore/sqlite-wasm/load-wasm'
import { sqliteDbFactory } from '@livestore/sqlite-wasm/node'
import { Effect } from '@livestore/utils/effect'
import { PlatformNode } from '@livestore/utils/node'
import { describe, expect, it } from 'vitest'
import { undoStateEventsAbove } from '../../shared/livestore/state-undo'
import { undoOrRebuildState, type StoreRepair } from '../../shared/livestore/store-repair'

const memoryDb = () =>
  Effect.gen(function* () {
    const makeSqliteDb = yield* sqliteDbFactory({ sqlite3: yield* Effect.promise(() => loadSqlite3Wasm()) })
    return yield* makeSqliteDb({ _tag: 'in-memory' })
  }).pipe(Effect.provide(PlatformNode.NodeFileSystem.layer), Effect.runPromise)

type Db = Awaited<ReturnType<typeof memoryDb>>

/** A state with conversations, and events 1 to 4 applied to it, each with its changeset. */
async function stateWithEvents(): Promise<Db> {
  const db = await memoryDb()
  db.execute('CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL)')
  db.execute(
    'CREATE TABLE __livestore_session_changeset (seqNumGlobal INTEGER, seqNumClient INTEGER, ' +
      'seqNumRebaseGeneration INTEGER, changeset BLOB, debug TEXT)',
  )
  const apply = (seqNum: number, statements: string[]) => {
    const session = db.session()
    for (const statement of statements) db.execute(statement)
    const changeset = session.changeset() ?? null
    session.finish()
    db.execute(
      'INSERT INTO __livestore_session_changeset (seqNumGlobal, seqNumClient, seqNumRebaseGeneration, changeset) ' +
        'VALUES (?, 0, 0, ?)',
      [seqNum, changeset] as never,
    )
  }
  apply(1, ["INSERT INTO conversations VALUES ('c1', 'First')"])
  apply(2, ["UPDATE conversations SET title = 'Renamed' WHERE id = 'c1'"])
  apply(3, ["INSERT INTO conversations VALUES ('c2', 'Second')", "DELETE FROM conversations WHERE id = 'c1'"])
  apply(4, []) // an event that changed nothing: no changeset
  return db
}

const titles = (db: Db) =>
  db.select<{ id: string; title: string }>('SELECT id, title FROM conversations ORDER BY id')
const recorded = (db: Db) =>
  db
    .select<{ seqNumGlobal: number }>('SELECT seqNumGlobal FROM __livestore_session_changeset')
    .map((row) => row.seqNumGlobal)

describe("undoing the state's events after the eventlog's head", () => {
  it('undoes them newest first, and forgets their record', async () => {
    const db = await stateWithEvents()
    expect(undoStateEventsAbove(db, 1)).toBe(3)
    expect(titles(db)).toEqual([{ id: 'c1', title: 'First' }])
    expect(recorded(db)).toEqual([1])
    // Nothing after the head: nothing to undo.
    expect(undoStateEventsAbove(db, 1)).toBe(0)
    db.close()
  })

  it('changes nothing when the record of an event is missing (bad input: a gap in the changesets)', async () => {
    const db = await stateWithEvents()
    db.execute('DELETE FROM __livestore_session_changeset WHERE seqNumGlobal = 2')
    expect(undoStateEventsAbove(db, 1)).toBeNull()
    expect(titles(db)).toEqual([{ id: 'c2', title: 'Second' }])
    db.close()
  })

  it('changes nothing when a changeset cannot be applied, and the plan falls back to a rebuild (bad input: a damaged changeset)', async () => {
    const db = await stateWithEvents()
    db.execute("UPDATE __livestore_session_changeset SET changeset = x'00ff00ff' WHERE seqNumGlobal = 2")
    const repair: StoreRepair = {
      resetEventlog: false,
      rebuildState: false,
      undoStateAbove: 1,
      backendHead: null,
      description: "LiveStore's last commit was interrupted",
    }
    const remaining = undoOrRebuildState(db, repair)
    expect(remaining).toMatchObject({ rebuildState: true, undoStateAbove: null })
    expect(remaining.description).toMatch(
      /undoing them failed \(.+\), so the state is rebuilt from the eventlog/,
    )
    // The transaction rolled back: the newest event's undo, applied before the damaged one, is not kept either.
    expect(titles(db)).toEqual([{ id: 'c2', title: 'Second' }])
    expect(recorded(db)).toEqual([1, 2, 3, 4])
    db.close()
  })
})
