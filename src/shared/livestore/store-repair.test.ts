import { describe, expect, it } from 'vitest'
import { planStoreRepair, readHead, type HeadReading } from './store-repair'

const head = (value: number | null): HeadReading => ({ kind: 'head', head: value })
const fails = (error: unknown) => () => {
  throw error
}
const sqliteError = (message: string, code: string) => Object.assign(new Error(message), { code })

describe('reading a head', () => {
  it('gives the number, or null for no row and for a table not made yet', () => {
    expect(readHead(() => 7)).toEqual(head(7))
    expect(readHead(() => undefined)).toEqual(head(null))
    expect(readHead(() => null)).toEqual(head(null))
    expect(readHead(fails(new Error('no such table: __livestore_sync_status')))).toEqual(head(null))
  })

  it("calls a damaged file corrupt, in better-sqlite3's words and in LiveStore's (bad input: not SQLite)", () => {
    expect(readHead(fails(sqliteError('file is not a database', 'SQLITE_NOTADB')))).toEqual({
      kind: 'corrupt',
      error: 'file is not a database',
    })
    expect(readHead(fails(sqliteError('database disk image is malformed', 'SQLITE_CORRUPT'))).kind).toBe(
      'corrupt',
    )
    // LiveStore's SqliteError: a JSON-ish message, the numeric code, SQLite's own words in the cause.
    const wrapped = Object.assign(
      new Error('{ "query": … }', { cause: new Error('malformed database schema') }),
      {
        code: 11,
      },
    )
    expect(readHead(fails(wrapped))).toEqual({ kind: 'corrupt', error: 'malformed database schema' })
  })

  it('leaves any other failure unknown (bad input: a file another process holds)', () => {
    expect(readHead(fails(sqliteError('database is locked', 'SQLITE_BUSY')))).toEqual({
      kind: 'unknown',
      error: 'database is locked',
    })
  })
})

describe('planning the repair', () => {
  it('leaves a sound store, and one it cannot judge, alone', () => {
    expect(planStoreRepair({ backend: head(5), eventlog: head(5), state: head(5) })).toBeNull()
    expect(planStoreRepair({ backend: head(null), eventlog: head(null), state: null })).toBeNull()
    const locked: HeadReading = { kind: 'unknown', error: 'database is locked' }
    expect(planStoreRepair({ backend: head(9), eventlog: head(5), state: locked })).toBeNull()
  })

  it('empties an unreadable eventlog and the state with it, to pull everything again', () => {
    const corrupt: HeadReading = { kind: 'corrupt', error: 'file is not a database' }
    const repair = planStoreRepair({ backend: corrupt, eventlog: corrupt, state: head(40) })
    expect(repair).toMatchObject({ resetEventlog: true, rebuildState: true, backendHead: null })
    expect(repair?.description).toBe(
      "this copy's eventlog cannot be read (file is not a database): it is emptied and everything is pulled " +
        'again from the hub',
    )
  })

  it('rebuilds an unreadable state from the eventlog, and still sets a torn head back', () => {
    const corrupt: HeadReading = { kind: 'corrupt', error: 'database disk image is malformed' }
    expect(planStoreRepair({ backend: head(5), eventlog: head(5), state: corrupt })).toEqual({
      resetEventlog: false,
      rebuildState: true,
      undoStateAbove: null,
      backendHead: null,
      description:
        'the state database cannot be read (database disk image is malformed): it is rebuilt from the eventlog',
    })
    expect(planStoreRepair({ backend: head(9), eventlog: head(5), state: corrupt })).toMatchObject({
      rebuildState: true,
      backendHead: 5,
    })
  })

  it('carries out the torn-write decision for readable heads', () => {
    expect(planStoreRepair({ backend: head(1), eventlog: head(1), state: head(5) })).toMatchObject({
      resetEventlog: false,
      rebuildState: false,
      undoStateAbove: 1,
      backendHead: null,
      description: expect.stringContaining("LiveStore's last commit was interrupted"),
    })
  })
})
