/**
 * A minimal LiveStore Node client for the sync Worker's tests: one event, one table, the real adapter-node and
 * sync-cf's own WebSocket client. Chronicle's schema is not needed to prove the Worker carries events.
 */
import { makeAdapter } from '@livestore/adapter-node'
import { createStorePromise, Events, makeSchema, Schema, State } from '@livestore/livestore'
import { makeWsSync } from '@livestore/sync-cf/client'

const notes = State.SQLite.table({
  name: 'notes',
  columns: { id: State.SQLite.text({ primaryKey: true }), text: State.SQLite.text() },
})
const noteWritten = Events.synced({
  name: 'v1.NoteWritten',
  schema: Schema.Struct({ id: Schema.String, text: Schema.String }),
})
const materializers = State.SQLite.materializers(
  { noteWritten },
  { 'v1.NoteWritten': ({ id, text }) => notes.insert({ id, text }) },
)
const schema = makeSchema({
  events: { noteWritten },
  state: State.SQLite.makeState({ tables: { notes }, materializers }),
})

export type NoteStore = {
  write(id: string, text: string): void
  texts(): readonly string[]
  shutdown(): Promise<void>
}

export async function openNoteStore(options: {
  readonly syncUrl: string
  readonly storeId: string
  readonly clientId: string
  readonly directory: string
}): Promise<NoteStore> {
  const adapter = makeAdapter({
    storage: { type: 'fs', baseDirectory: options.directory },
    clientId: options.clientId,
    sessionId: 'test',
    sync: { backend: makeWsSync({ url: options.syncUrl }), onSyncError: 'ignore', livePull: true },
  })
  const store = await createStorePromise({ schema, adapter, storeId: options.storeId, disableDevtools: true })
  return {
    write: (id, text) => store.commit(noteWritten({ id, text })),
    texts: () => store.query(notes.select('text').orderBy('id', 'asc')),
    shutdown: () => store.shutdownPromise(),
  }
}
