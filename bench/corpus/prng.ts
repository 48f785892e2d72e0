/**
 * A small seeded PRNG (splitmix32) so a corpus is the same for the same seed on every machine and Node version;
 * Math.random cannot be seeded. Each conversation gets its own stream (see streamSeed), so conversation 7 is
 * the same whether 1,000 or 10,000 conversations are generated.
 */

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Normal(0, 1), Box-Muller. */
  normal(): number
  /** Log-normal with the given arithmetic mean: most values near the median, a long tail of large ones. */
  logNormal(mean: number, sigma: number): number
}

/** Mixes numbers into one 32-bit seed (a murmur3-style finalizer), so nearby inputs give unrelated streams. */
export function streamSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    z ^= z >>> 15
    return (z >>> 0) / 4_294_967_296
  }
  const normal = (): number => {
    const u = 1 - next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick from an empty list')
      return item
    },
    normal,
    logNormal: (mean, sigma) => Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * normal()),
  }
}

/** Picks from weighted options; weights need not sum to 1. */
export function weighted<T>(rng: Prng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0)
  let u = rng.next() * total
  for (const [value, w] of options) {
    u -= w
    if (u < 0) return value
  }
  const last = options.at(-1)
  if (!last) throw new Error('weighted pick from no options')
  return last[0]
}
