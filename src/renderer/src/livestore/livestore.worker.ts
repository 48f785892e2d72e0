/**
 * The page's LiveStore leader: it keeps the store in OPFS and syncs it with the hub over LiveStore's own WebSocket
 * protocol, at the address the page put in the sync payload.
 */
import { makeWorker } from '@livestore/adapter-web/worker'
import { makeWsSync } from '@livestore/sync-cf/client'
import { schema } from '../../../shared/livestore/schema'
import { hubUrlOf } from './sync-payload'

makeWorker({
  schema,
  sync: { backend: (args) => makeWsSync({ url: hubUrlOf(args.payload) })(args) },
})
