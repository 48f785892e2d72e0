/**
 * The real sync Worker (sync-worker/test/local-worker.ts) in a temporary persist directory, with one library
 * claimed by the token its key derives, as `chronicle sync setup` would claim it: what every blob test starts from.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalWorker } from '../../../../sync-worker/test/local-worker'
import { deriveSyncKeys, type LibraryKey } from '../../sync/library-key'

export interface ClaimedWorker {
  readonly url: string
  readonly persistTo: string
  /** The library's worker token, for requests a test makes by hand (as a compromised worker's client could). */
  readonly token: string
  dispose(): Promise<void>
}

export async function startClaimedWorker(storeId: string, key: LibraryKey): Promise<ClaimedWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), `chronicle-${storeId}-`))
  const worker = await startLocalWorker(persistTo)
  const token = deriveSyncKeys(key, storeId).workerToken
  const claimed = await fetch(`${worker.url}/libraries/${storeId}/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  if (claimed.status !== 201) throw new Error(`claiming ${storeId} answered HTTP ${claimed.status}`)
  return {
    url: worker.url,
    persistTo,
    token,
    dispose: async () => {
      await worker.dispose()
      rmSync(persistTo, { recursive: true, force: true })
    },
  }
}
