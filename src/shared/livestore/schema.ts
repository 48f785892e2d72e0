/** The LiveStore schema every Chronicle client shares: the main process, the renderer and device clients. */
import { makeSchema, State } from '@livestore/livestore'
import { events } from './events'
import { materializers } from './materializers'
import { tables } from './tables'

export const state = State.SQLite.makeState({ tables, materializers })

export const schema = makeSchema({ events, state })

export { events, tables }

export { STORE_ID } from './store-id'
