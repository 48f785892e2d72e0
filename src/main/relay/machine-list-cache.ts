/**
 * The library's machines for the Devices view, asked of the sync worker (machine-list.ts) at most every
 * REFRESH_MS while the page asks: the page polls the sync status every second, and a list that changes when a
 * machine comes or goes need not cost the worker a request each time. The answer in hand is returned at once and a
 * fresh one is fetched behind it, one request at a time.
 */
import type { RemoteMachines } from '../../shared/api/contract'
import { deriveSyncKeys } from '../sync/library-key'
import { fetchMachineList, viewMachines } from '../sync/machine-list'
import type { RelayConfig } from './relay'

const REFRESH_MS = 5_000

export interface MachineListCache {
  /** The last answer (null before the first), asking again when it is older than REFRESH_MS. */
  current(): RemoteMachines | null
}

export function makeMachineListCache(
  config: RelayConfig,
  thisMachineId: string,
  now: () => number = Date.now,
): MachineListCache {
  const { workerToken } = deriveSyncKeys(config.key, config.storeId)
  let last: RemoteMachines | null = null
  let asking = false

  async function refresh() {
    asking = true
    try {
      const answer = await fetchMachineList(config.url, config.storeId, workerToken)
      const at = now()
      last =
        answer.kind === 'listed'
          ? {
              libraryHead: answer.report.head,
              list: viewMachines(answer.report, config.key, thisMachineId),
              at,
            }
          : {
              problem:
                answer.kind === 'refused'
                  ? `HTTP ${answer.status} ${answer.error}: ${answer.message}`
                  : answer.message,
              at,
            }
    } catch (error) {
      last = { problem: String(error), at: now() }
    } finally {
      asking = false
    }
  }

  return {
    current() {
      if (!asking && (last === null || now() - last.at >= REFRESH_MS)) void refresh()
      return last
    },
  }
}
