/** The LiveStore schema every Chronicle client shares: the main process, the renderer and device clients. */
import { makeSchema, State } from '@livestore/livestore'
import { events } from './events'
import { libraryView } from './library-view'
import { materializers } from './materializers'
import { tables } from './tables'

// The library view is a client document: local to each page (library-view.ts), an empty table everywhere else.
export const state = State.SQLite.makeState({ tables: { ...tables, libraryView }, materializers })

export const schema = makeSchema({ events, state })

export { events, libraryView, tables }

export { STORE_ID } from './store-id'
