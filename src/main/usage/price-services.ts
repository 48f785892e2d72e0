/**
 * Price changes as the running app makes them (Settings, through the API): the process holds the library's store,
 * so the `v1.PricesChanged` event is committed there, by this device, as the user's act. Built once at start, it
 * sets the repository's price book to the table in use, so imports cost responses with it from then on.
 */
import type { PricesInfo } from '../../shared/api/contract'
import { events } from '../../shared/livestore/events'
import { ok, type Result } from '../../shared/result'
import type { Repository } from '../repository/repository'
import {
  tableInfo,
  useBundledPrices,
  usePriceFile,
  type PriceChange,
  type PriceChangeErrorCode,
} from './price-change'
import { loadPriceChoice, type PriceChoice } from './price-choice'

export interface PriceServices {
  info(): PricesInfo
  use(path: string): Promise<Result<PricesInfo, PriceChangeErrorCode>>
  reset(): Promise<Result<PricesInfo, PriceChangeErrorCode>>
}

export interface PriceServicesOptions {
  readonly dataDir: string
  readonly repository: Repository
  readonly deviceId: () => string
  readonly commit: (event: ReturnType<typeof events.pricesChanged>) => Promise<void>
}

export function priceServices(options: PriceServicesOptions): PriceServices {
  const { dataDir, repository } = options
  let choice: PriceChoice = loadPriceChoice(dataDir)
  repository.prices = choice.book
  const changeContext = {
    dataDir,
    repository,
    origin: 'ui' as const,
    record: (change: Pick<PricesInfo['table'], 'source' | 'date' | 'sha256' | 'models'>) =>
      options.commit(
        events.pricesChanged({
          at: Date.now(),
          deviceId: options.deviceId(),
          actor: 'user',
          origin: 'ui',
          ...change,
        }),
      ),
  }
  const info = (changed: PriceChange | null): PricesInfo => ({
    table: tableInfo(choice.book),
    problem: choice.problem,
    changed: changed && {
      responses: changed.responses,
      conversations: changed.conversations,
      ms: changed.ms,
    },
  })
  const after = (
    result: Result<PriceChange, PriceChangeErrorCode>,
  ): Result<PricesInfo, PriceChangeErrorCode> => {
    // Read again even after a failure: a change the trail could not record was still made.
    choice = loadPriceChoice(dataDir)
    return result.ok ? ok(info(result.value)) : result
  }
  return {
    info: () => info(null),
    use: async (path) => after(await usePriceFile(changeContext, path)),
    reset: async () => after(await useBundledPrices(changeContext)),
  }
}
