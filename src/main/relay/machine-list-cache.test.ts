/**
 * The Devices view's list of the library's machines, asked of the real sync Worker in workerd: null until the
 * first answer, the same answer (no request) for five seconds, then a fresh one fetched behind the old. Bad input:
 * a key the Worker does not accept is a problem to show, in the Worker's words, not an empty list.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import { until } from '../hub/test-support/until'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { makeMachineListCache } from './machine-list-cache'

const local = useLocalWorker('machine-cache')
const key = LibraryKey.generate()
const storeId = 'library-machine-cache'

beforeAll(async () => {
  const claimed = await fetch(`${local.worker().url}/libraries/${storeId}/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deriveSyncKeys(key, storeId).workerToken}` },
  })
  expect(claimed.status).toBe(201)
})

describe('the machine list cache', () => {
  it('answers at once with what it has, and asks the Worker again only after five seconds', async () => {
    let clock = 1_000_000
    const cache = makeMachineListCache({ url: local.worker().url, storeId, key }, 'this-machine', () => clock)
    expect(cache.current()).toBeNull()
    const first = await until(
      () => cache.current(),
      (answer) => answer !== null,
    )
    expect(first).toEqual({ libraryHead: 0, list: [], at: 1_000_000 })
    clock += 4_999
    expect(cache.current()).toBe(first)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(cache.current()).toBe(first)
    clock += 1
    expect(cache.current()).toBe(first)
    const second = await until(
      () => cache.current(),
      (answer) => answer !== first,
    )
    expect(second).toEqual({ libraryHead: 0, list: [], at: 1_005_000 })
  })

  it('reports a key the Worker refuses as a problem in its words (bad input: another library key)', async () => {
    const cache = makeMachineListCache({ url: local.worker().url, storeId, key: LibraryKey.generate() }, 'me')
    const answer = await until(
      () => cache.current(),
      (value) => value !== null,
    )
    expect(answer).toMatchObject({ problem: expect.stringMatching(/^HTTP 401 wrong_token: /) })
  })
})
