/**
 * `serve-under-test.ts` as a process of its own (`node --import tsx serve-child.ts <dataDir>`), for tests where an
 * input that crashes the host must show as the process exiting. Installs no handler for uncaught errors, as
 * `chronicle serve` installs none. Prints `serving <url>` once it listens; stops on SIGTERM.
 */
import { startServeUnderTest } from './serve-under-test'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: serve-child.ts <dataDir>')
const served = await startServeUnderTest(dataDir)
process.stdout.write(`serving ${served.host.url}\n`)
process.once('SIGTERM', () => {
  void served.close().then(() => process.exit(0))
})
