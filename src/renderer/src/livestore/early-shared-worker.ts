/**
 * Starts LiveStore's shared worker as soon as the page's code has loaded (main.tsx imports this last). The
 * adapter creates it only after the session is known and the stored state is read, and its script
 * then takes a quarter of a second to compile and run, all on the way to the first row. A shared worker with the
 * same script and name is the same worker, so the adapter's later `new SharedWorker` joins this one, already
 * running. The name is the one LiveStore 0.4 gives it; should that change, this starts a worker nobody joins and
 * costs only its start. The port is kept for the page's life (a shared worker without a page connected stops);
 * the page never talks through it.
 */
import LiveStoreSharedWorker from '@livestore/adapter-web/shared-worker?sharedworker'
import { STORE_ID } from '../../../shared/livestore/store-id'

export const earlySharedWorkerPort: MessagePort = new LiveStoreSharedWorker({
  name: `livestore-shared-worker-${STORE_ID}`,
}).port
