import type { Prng } from './prng'

/**
 * Zipf's law: the word of rank r is drawn with weight 1 / r^s. Natural-language and code vocabularies roughly follow
 * it, and it is what makes the index realistic: a few words in most messages, a long tail in almost none.
 */
export interface Zipf {
  readonly size: number
  /** A rank in [0, size), rank 0 the most frequent. */
  sample(rng: Prng): number
  /** The probability of drawing this rank. */
  probability(rank: number): number
}

export function createZipf(size: number, exponent = 1.05): Zipf {
  const cumulative = new Float64Array(size)
  let total = 0
  for (let rank = 0; rank < size; rank++) {
    total += 1 / Math.pow(rank + 1, exponent)
    cumulative[rank] = total
  }
  return {
    size,
    sample(rng) {
      // Binary search for the first rank whose cumulative weight reaches u.
      const u = rng.next() * total
      let lo = 0
      let hi = size - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((cumulative[mid] ?? total) < u) lo = mid + 1
        else hi = mid
      }
      return lo
    },
    probability: (rank) => 1 / Math.pow(rank + 1, exponent) / total,
  }
}
