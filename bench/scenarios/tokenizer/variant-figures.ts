/** Everything measured on one tokenizer variant once its database is filled. */
import { round2, type LatencySummary } from '../../lib/stats'
import { collectGarbage, measure } from '../../lib/timing'
import type { BenchQuery } from '../query-set'
import { variantSize, type VariantDb, type VariantSize } from './fts-variant'
import { recallOf, type RecallFigures, type RecallProbe, type TruthCollector } from './recall'

export const TOKENIZER_RUNS = 30

export interface VariantQueryFigures {
  readonly name: string
  readonly match: string
  readonly latency: LatencySummary
  readonly pageHits: number
  readonly matching: number
}

export interface VariantFigures {
  readonly name: string
  readonly tokenize: string
  readonly size: VariantSize
  readonly indexBytesPerMessage: number
  readonly messagesPerSecond: number
  readonly writeSeconds: number
  readonly queries: readonly VariantQueryFigures[]
  readonly recall: readonly (RecallFigures & { readonly probe: string; readonly about: string })[]
}

export async function measureVariant(
  v: VariantDb,
  messages: number,
  writeMs: number,
  queries: readonly BenchQuery[],
  probes: readonly RecallProbe[],
  truth: TruthCollector,
): Promise<VariantFigures> {
  const size = variantSize(v)
  collectGarbage()
  const queryFigures: VariantQueryFigures[] = []
  for (const query of queries) {
    const match = v.variant.match(query)
    const { summary, last } = await measure({ warmup: 3, runs: TOKENIZER_RUNS }, () => v.page(query))
    queryFigures.push({ name: query.name, match, latency: summary, pageHits: last, matching: v.count(query) })
  }
  return {
    name: v.variant.name,
    tokenize: v.variant.tokenize,
    size,
    indexBytesPerMessage: Math.round(size.indexBytes / messages),
    messagesPerSecond: Math.round(messages / (writeMs / 1000)),
    writeSeconds: round2(writeMs / 1000),
    queries: queryFigures,
    recall: probes.map((p) => ({
      probe: p.query.terms[0]?.text ?? '',
      about: p.about,
      ...recallOf(truth.expectedPks(p), v.matchingPks(v.variant.match(p.query))),
    })),
  }
}
