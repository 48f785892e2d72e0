/**
 * A change of price file: every stored response priced again (PRICING's recomputeCosts: set-based SQL, the rollup
 * summed again, conversations' costs refreshed), timed to a new table 10% dearer and back to the bundled one.
 */
import type { Repository } from '../../../src/main/repository/repository'
import { recomputeCosts } from '../../../src/main/usage/recompute-costs'
import type { ModelPrice, PriceBook, TokenPrices } from '../../../src/shared/usage/pricing'

export interface RecomputeFigures {
  readonly name: string
  readonly seconds: number
  readonly responses: number
  readonly conversations: number
}

const scaled = (p: TokenPrices, by: number): TokenPrices => ({
  input: p.input * by,
  output: p.output * by,
  cacheWrite5m: p.cacheWrite5m * by,
  cacheWrite1h: p.cacheWrite1h * by,
  cacheRead: p.cacheRead * by,
})

function dearer(book: PriceBook, by: number): PriceBook {
  return {
    date: '2099-01-01',
    source: `${book.source}, ${by}×`,
    priceFor(model) {
      const price = book.priceFor(model)
      if (!price) return null
      const result: ModelPrice = {
        ...scaled(price, by),
        ...(price.longContext && { longContext: scaled(price.longContext, by) }),
      }
      return result
    },
  }
}

export async function timeRecompute(repo: Repository): Promise<RecomputeFigures[]> {
  const bundled = repo.prices
  const figures: RecomputeFigures[] = []
  for (const [name, book] of [
    ['to a table 10% dearer', dearer(bundled, 1.1)],
    ['back to the bundled table', bundled],
  ] as const) {
    const started = performance.now()
    const result = await recomputeCosts(repo, book, 'cli')
    figures.push({
      name,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      responses: result.responses,
      conversations: result.conversations,
    })
  }
  return figures
}
