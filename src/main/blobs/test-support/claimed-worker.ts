/**
 * The real sync Worker for a whole test file (useLocalWorker), with one library claimed by the token its key
 * derives, as `chronicle sync setup` would claim it: what every blob test starts from.
 */
import { beforeAll } from 'vitest'
import { useLocalWorker } from '../../../../sync-worker/test/use-local-worker'
import { deriveSyncKeys, type LibraryKey } from '../../sync/library-key'

export interface ClaimedWorker {
  readonly url: string
  readonly persistTo: string
  /** The library's worker token, for requests a test makes by hand (as a compromised worker's client could). */
  readonly token: string
}

/** Registers the file's hooks; `url` and `persistTo` are there once beforeAll ran. */
export function useClaimedWorker(storeId: string, key: LibraryKey): ClaimedWorker {
  const local = useLocalWorker(storeId)
  const token = deriveSyncKeys(key, storeId).workerToken

  beforeAll(async () => {
    const claimed = await fetch(`${local.worker().url}/libraries/${storeId}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    if (claimed.status !== 201) throw new Error(`claiming ${storeId} answered HTTP ${claimed.status}`)
  })

  return {
    get url() {
      return local.worker().url
    },
    get persistTo() {
      return local.persistTo()
    },
    token,
  }
}
