/**
 * The bridge scenario's second client in a process of its own, as the renderer or another device would be: a
 * LiveStore store over WebSocket that prints `<messages> <epoch ms>` every time its message count changes.
 * Usage: node --import tsx device-child.ts DATA_DIR URL TOKEN
 */
import { makeWsSync } from '@livestore/sync-cf/client'
import { messageTotal$ } from '../../../src/shared/livestore/message-total'
import { openChronicleStore } from '../../../src/main/livestore/chronicle-store'

const [dataDir, url, token] = process.argv.slice(2)
if (!dataDir || !url || !token) throw new Error('usage: device-child.ts DATA_DIR URL TOKEN')
const device = await openChronicleStore({
  dataDir,
  clientId: 'bench-device',
  folder: 'bench-device',
  backend: makeWsSync({ url }),
  syncPayload: {
    authToken: token,
    deviceId: 'bench-device',
    deviceName: 'Bench device',
    clientKind: 'simulator',
  },
})
device.store.subscribe(messageTotal$, (count) => {
  process.stdout.write(`${count} ${performance.timeOrigin + performance.now()}\n`)
})
process.on('SIGTERM', () => {
  void device.shutdown().then(() => process.exit(0))
})
